"""Version 1 of each capability's prompt, as revision 20260207_llm_prompts seeds it.

The migration keeps its own copy of these texts so that history never changes under it;
a better prompt is a new template version (createPromptTemplate or a new revision), not an
edit here. `{coin_facts}` renders every non-empty snapshot field as "Label: value" lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coinstack_graphql.enrichment.capabilities import SPECS
from coinstack_graphql.enrichment.models import Capability

DEFAULT_VERSION = 1
DEFAULT_VARIANT = "default"
SEED_NOTE = "seeded by revision 20260207_llm_prompts"

_HOUSE_RULES = (
    "Years are given as integers where negative numbers are BC and positive numbers are AD; "
    "there is no year 0. Use the standard references of the field (RIC, RRC/Crawford, RPC, "
    "RSC, BMCRE, Sear, SNG, HN) and the conventions of auction catalogues. If the evidence "
    "is thin, say so and lower your confidence instead of guessing. Confidence is a number "
    "from 0 to 1: 0.9 or more only when the identification is certain."
)


@dataclass(frozen=True)
class DefaultTemplate:
    """The seeded prompt of one capability."""

    capability: Capability
    system_prompt: str
    user_template: str
    parameters: dict[str, Any]

    @property
    def output_schema(self) -> dict[str, Any]:
        return SPECS[self.capability].output_schema

    @property
    def requires_vision(self) -> bool:
        return SPECS[self.capability].requires_vision


DEFAULT_TEMPLATES: dict[Capability, DefaultTemplate] = {
    t.capability: t
    for t in (
        DefaultTemplate(
            Capability.CONTEXT_GENERATE,
            system_prompt=(
                "You are a numismatist and historian of the ancient Mediterranean writing "
                "for a private collector's catalogue. Explain why a coin matters: who issued "
                "it and when, the events, propaganda or religious ideas its types express, "
                "and its place in the coinage of its time. Write two or three plain, "
                "accurate paragraphs without invented detail. " + _HOUSE_RULES
            ),
            user_template=(
                "Describe the historical significance of this coin.\n\n{coin_facts}\n\n"
                "Answer with the record_historical_context tool: the text, up to eight key "
                "points, and your confidence."
            ),
            parameters={"max_tokens": 1500},
        ),
        DefaultTemplate(
            Capability.ATTRIBUTION_SUGGEST,
            system_prompt=(
                "You are an expert in attributing ancient coins from their legends, "
                "designs and physical data. Read the legends (expanding abbreviations and "
                "titulature such as TR P, COS, IMP) and the designs, and propose the issuer "
                "(the ruler, city or moneyer in whose name the coin was struck), the "
                "denomination, the mint and the date range. Use null for anything the "
                "evidence does not support. " + _HOUSE_RULES
            ),
            user_template=(
                "Suggest an attribution for this coin.\n\n{coin_facts}\n\n"
                "Answer with the record_attribution tool, explaining your reasoning briefly."
            ),
            parameters={"max_tokens": 1000},
        ),
        DefaultTemplate(
            Capability.LEGEND_EXPAND,
            system_prompt=(
                "You are an epigrapher of ancient coin legends. Expand each legend into "
                "its full Latin or Greek words, keeping the original order, resolving "
                "abbreviations and ligatures (e.g. 'IMP CAESAR DIVI F AVGVSTVS' -> "
                "'Imperator Caesar Divi Filius Augustus'); do not translate. Use null for a "
                "side without a legend. " + _HOUSE_RULES
            ),
            user_template=(
                "Expand the legends of this {category} coin of {issuer}, dated {year_start} "
                "to {year_end}.\n\nObverse legend: {obverse_legend}\n"
                "Reverse legend: {reverse_legend}\nExergue: {exergue}\n\n"
                "Answer with the record_expanded_legends tool."
            ),
            parameters={"max_tokens": 800},
        ),
        DefaultTemplate(
            Capability.CATALOG_SUGGEST,
            system_prompt=(
                "You are a cataloguer of ancient coins. Suggest the standard catalogue "
                "references for the coin's type, one citation each, written the way "
                "catalogues print them: 'RIC I² 207', 'Crawford 494/23', 'RPC I 4567', "
                "'RSC 43', 'BMCRE I 533', 'Sear 1234', 'SNG Cop 123', 'HN Italy 123'. Do "
                "not qualify a citation with 'cf.' or 'var.'; leave out references you "
                "cannot pin to a number, and do not repeat the references the coin already "
                "has. " + _HOUSE_RULES
            ),
            user_template=(
                "Suggest catalogue references for this coin.\n\n{coin_facts}\n\n"
                "Answer with the record_catalogue_references tool, giving a confidence for "
                "each citation and overall."
            ),
            parameters={"max_tokens": 1000},
        ),
        DefaultTemplate(
            Capability.CONDITION_DESCRIBE,
            system_prompt=(
                "You are a professional grader of ancient coins in the manner of NGC "
                "Ancients. From the photographs, describe the state of preservation: wear "
                "on the high points, strike, centering, surfaces (porosity, scratches, "
                "tooling, smoothing, cleaning), toning and patina. Estimate the grade on the "
                "adjectival scale (Poor, Fair, AG, G, VG, F, Ch F, VF, Ch VF, XF, Ch XF, AU, "
                "Ch AU, MS, Ch MS, Gem MS), optionally with strike and surface out of 5 "
                "('Ch VF 5/5 - 4/5'), or null when the images do not allow it. Photographs "
                "flatter or hide detail; say so when it matters. " + _HOUSE_RULES
            ),
            user_template=(
                "Describe the condition of this coin from its images.\n\n{coin_facts}\n\n"
                "Answer with the record_condition tool."
            ),
            parameters={"max_tokens": 1000},
        ),
    )
}
