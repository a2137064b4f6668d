"""Lending screens, by capability: thin function views over lending.services."""
