"""Stage claims: claim units (:mod:`.split`), their attribution (:mod:`.attribution`) and how
worth fact-checking they are (:mod:`.checkworthiness`)."""
