"""The Sahabat services, one package each: partners, programs, outreach, reporting."""
