"""Named-entity recognition and other actor analysis."""
