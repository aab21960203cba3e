"""Unit tests of the programs service's pure domain: stages, events and the two deciders."""
