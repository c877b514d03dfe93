"""The case registry: SQL store, ingestion, literature cases, exchange (JSONL, CSV, FHIR R4B), statistics."""
