"""The learned parts of attribution, as the claims stage and the evaluation apply them.

The rules (:mod:`.attribution`) read every claim unit; :class:`Learned` then rereads each
unit's attribution with the source tagger (:mod:`.source_tagger`) and the type classifier
(:mod:`.typer`), in that order, before the next unit is read (so a continuation inherits the
reread speaker). Both models ship in :mod:`marsad.data.models`; ``claims.learned_attribution =
false`` keeps the rules alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.actors.gazetteer import Gazetteer
from marsad.claims.attribution import Attribution
from marsad.claims.source_tagger import SourceTagger, packaged_tagger
from marsad.claims.typer import TypeModel, packaged_model
from marsad.records import Span


@dataclass(frozen=True)
class Learned:
    """A ``refine`` callable for :func:`marsad.claims.attribution.attribute_all`."""

    tagger: SourceTagger | None
    typer: TypeModel | None
    gazetteer: Gazetteer | None

    def __call__(self, text: str, span: Span, found: Attribution) -> Attribution:
        if self.tagger is not None:
            found = self.tagger.refine(text, span, found, self.gazetteer)
        if self.typer is not None:
            found = self.typer.retype(found, self.gazetteer)
        return found

    @property
    def digests(self) -> tuple[tuple[str, str], ...]:
        """The model files' digests, for the claims stage's component."""
        out = []
        if self.tagger is not None:
            out.append(("srctag", self.tagger.digest))
        if self.typer is not None:
            out.append(("srctype", self.typer.digest))
        return tuple(out)


def packaged(gazetteer: Gazetteer | None) -> Learned | None:
    """The shipped models (``None`` when neither file is installed)."""
    tagger, typer = packaged_tagger(), packaged_model()
    if tagger is None and typer is None:
        return None
    return Learned(tagger, typer, gazetteer)
