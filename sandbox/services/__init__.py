"""Orchestration: load models, call the domain, append events, flush. Never commit here."""
