"""A deterministic synthetic corpus: J jurisdictions x P provisions over the real concept scheme.

Generated rule files are plain model records (no YAML), built to RDF by the real builder, so the
benchmark measures the pipeline and the queries, not the generator.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from crosswalk.graph.model import Coverage, Instrument, Parameter, Provision, RiskTier, Role, RuleFile
from crosswalk.graph.vocabulary import vocabulary
from crosswalk.ontology import JUR


def jurisdiction_code(i: int) -> str:
    """Synthetic jurisdictions get their own codes (SYN-00…), outside the shipped vocabulary."""
    return f"SYN-{i:02d}"


def corpus(jurisdictions: int, provisions: int, seed: int = 20261124) -> list[RuleFile]:
    v = vocabulary()
    rng = random.Random(seed)
    concepts = sorted(v.concepts.members.values())
    modalities = [v.modalities.iri(m) for m in ("obligation", "obligation", "prohibition", "permission", "right")]
    roles = [
        Role("dev", "developer", v.common_roles.iri("developer")),
        Role("dep", "deployer", v.common_roles.iri("deployer")),
    ]
    tiers = [
        RiskTier("hr", "high risk", v.risk_levels.iri("high")),
        RiskTier("lr", "limited risk", v.risk_levels.iri("limited")),
    ]
    domains = sorted(v.domains.members.values())
    deadline = v.parameter_kinds.iri("deadline")
    files = []
    for j in range(jurisdictions):
        code = jurisdiction_code(j)
        items = []
        for n in range(provisions):
            days = rng.choice([None, None, 2, 15, 30, 90])
            items.append(
                Provision(
                    id=f"p{n}",
                    citation=f"Art. {n + 1}",
                    modality=rng.choice(modalities),
                    concepts=[rng.choice(concepts)],
                    bearer=[rng.choice(["dev", "dep"])],
                    summary="Synthetic provision for benchmarking.",
                    risk_tiers=rng.sample(["hr", "lr"], rng.randint(0, 1)),
                    domains=rng.sample(domains, rng.randint(0, 1)),
                    parameters=[Parameter(deadline, f"P{days}D", Decimal(days))] if days else [],
                    applies_from=date(2025, 1, 1),
                )
            )
        instrument = Instrument(
            id=f"synthetic-{j}",
            jurisdiction=JUR[code],
            title=f"Synthetic act {j}",
            type=v.instrument_types.iri("statute"),
            binding=True,
            status=v.statuses.iri("in-force"),
            source="https://example.org/synthetic",
            curated=date(2026, 11, 24),
            short_title=f"Synthetic {j}",
            dates={"entry_into_force": date(2025, 1, 1)},
        )
        coverage = [Coverage(list(v.concept_groups.members.values())[:5], date(2026, 11, 24))]
        files.append(
            RuleFile(Path(f"synthetic-{j}.yaml"), f"synthetic-{j}", instrument, [], tiers, roles, coverage, items)
        )
    return files
