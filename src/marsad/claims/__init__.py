"""Claim-level analysis: how worth fact-checking a claim is (see :mod:`.checkworthiness`)."""
