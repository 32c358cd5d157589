"""The support document's policy as data: what ``SlaPolicy.default()`` is built from.

The durations are ``timedelta`` values, which both a policy file's model
(:class:`~sla_clock.config.PolicyFile`) and :class:`~sla_clock.SlaPolicy` accept.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

__all__ = ["DEFAULT_POLICY_DATA"]

#: The support document's policy as data; :meth:`SlaPolicy.default` and policy files share it.
DEFAULT_POLICY_DATA: dict[str, Any] = {
    "warning_share": 0.75,
    "priorities": [
        {
            "code": "P0",
            "target": timedelta(hours=4),
            "name_en": "Highest",
            "name_pt": "Altíssima",
            "impact": "Total unavailability, e.g. the whole system blocked.",
            "impact_pt": "Indisponibilidade total, ex.: todo o sistema bloqueado.",
        },
        {
            "code": "P1",
            "target": timedelta(hours=12),
            "name_en": "High",
            "name_pt": "Alta",
            "impact": "Partial unavailability, e.g. a payment slip request for a blocked customer.",
            "impact_pt": "Indisponibilidade parcial, ex.: pedido de boleto de cliente bloqueado.",
        },
        {
            "code": "P2",
            "target": timedelta(hours=40),
            "name_en": "Medium",
            "name_pt": "Média",
            "impact": "No unavailability: invoice disputes, contract termination or reduction.",
            "impact_pt": (
                "Sem indisponibilidade: contestação de faturas, cancelamento ou redução "
                "de contrato."
            ),
        },
        {
            "code": "P3",
            "target": timedelta(hours=48),
            "name_en": "Low",
            "name_pt": "Baixa",
            "impact": "No unavailability: any other request.",
            "impact_pt": "Sem indisponibilidade: qualquer outra solicitação.",
        },
    ],
    "escalation": [
        {"name": "team leaders", "name_pt": "líderes de equipe", "offset": timedelta(0)},
        {"name": "coordination", "name_pt": "coordenação", "offset": timedelta(hours=4)},
        {"name": "management", "name_pt": "gerência", "offset": timedelta(hours=8)},
    ],
}
