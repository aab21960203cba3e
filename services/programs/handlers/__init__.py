"""The programs service's command handlers: one function a command.

Each takes its `CommandCall` (shared.commands) and the command as keyword
arguments, loads each aggregate it needs once, decides and appends. Routes
(services/programs/api) only translate HTTP to these calls and back.
"""

from services.programs.handlers.corrections import correct_record
from services.programs.handlers.programs import (
    PartnerFactsLookup,
    advance_stage,
    complete_program,
    discontinue_program,
    evaluate_program,
    propose_program,
    record_activity,
    record_monitoring,
)
from services.programs.handlers.units import CODE_SCOPE, register_unit

__all__ = [
    "CODE_SCOPE",
    "PartnerFactsLookup",
    "advance_stage",
    "complete_program",
    "correct_record",
    "discontinue_program",
    "evaluate_program",
    "propose_program",
    "record_activity",
    "record_monitoring",
    "register_unit",
]
