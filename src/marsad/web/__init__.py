"""The analyst's workbench: web pages, JSON API and the static report's templates."""
