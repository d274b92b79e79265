"""DataLoaders for LLM enrichments and their feedback."""

from __future__ import annotations

from coinstack_graphql.enrichment import models as e
from coinstack_graphql.graphql.core.loaders import ModelLoader


class EnrichmentsByCoinIdLoader(ModelLoader[int]):
    model = e.LLMEnrichment
    key = e.LLMEnrichment.coin_id
    many = True
    order_by = (e.LLMEnrichment.created_at.desc(), e.LLMEnrichment.id.desc())


class FeedbackByEnrichmentIdLoader(ModelLoader[int]):
    model = e.LLMFeedback
    key = e.LLMFeedback.enrichment_id
    many = True
    order_by = (e.LLMFeedback.id,)


class PromptTemplateByIdLoader(ModelLoader[int]):
    model = e.PromptTemplate
    key = e.PromptTemplate.id
