"""Controlled vocabularies (issuers, mints, denominations, dynasties) with Nomisma ids."""
