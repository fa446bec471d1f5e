"""Pure domain core: workflow, clock, catalogue, generator. No Flask, no SQLAlchemy."""
