"""The reference queries the benchmark sends (and the statement-count test reuses)."""

from __future__ import annotations

# The "collection page": a page of coins with every relation of the API, references
# two levels deep (referenceType → concordance and externalLinks).
COLLECTION_PAGE = """
query CollectionPage($first: Int!) {
  coins(first: $first, orderBy: [{field: ACQUISITION_DATE, direction: DESC}]) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id databaseId category denomination metal issuer yearStart yearEnd weightG diameterMm
        dieAxis grade gradeService acquisitionPrice acquisitionDate
        physical { flanShape weightStandard }
        tpgGrading { gradeNumeric ngcStrikeGrade ngcSurfaceGrade }
        mint { id name latitude longitude }
        images { id imageType filePath isPrimary }
        references {
          id isPrimary
          referenceType {
            id localRef system
            concordance { id localRef system }
            externalLinks { id catalogSource externalId externalUrl }
          }
        }
        provenanceEvents { id eventType eventDate auctionHouse hammerPrice currency }
        countermarks { id countermarkType description }
        tags
        gradingHistory { id eventType grade sequenceOrder isCurrent }
        currentGrading { id grade }
        rarityAssessments { id rarityCode isPrimary }
        primaryRarity { id rarityCode }
        censusSnapshots { id totalGraded }
        enrichments { id capability reviewStatus }
        valuations { id currentMarketValue valuationDate }
        latestValuation { id currentMarketValue }
        collections { id name }
        auctionData { id auctionHouse totalPrice }
        fieldHistory { id fieldName }
      }
    }
  }
}
"""

# Relations selected above (each costs one batched statement): mint, images, references,
# referenceType, concordance, externalLinks, provenanceEvents, countermarks, tags,
# gradingHistory (+ currentGrading from the same batch), rarityAssessments (+ primary),
# censusSnapshots, enrichments, valuations (+ latest), collections, auctionData,
# fieldHistory.
COLLECTION_PAGE_RELATIONS = 17

COIN_DETAIL = """
query CoinDetail($id: ID!) {
  coin(id: $id) {
    id databaseId category denomination metal issuer portraitSubject mintName
    yearStart yearEnd weightG diameterMm dieAxis obverseLegend reverseLegend grade
    secondaryAuthority { secondaryAuthority authorityType term { id canonicalName } }
    coRuler { coRuler portraitRelationship }
    physical { weightStandard expectedWeightG flanShape flanType }
    secondaryTreatments { isOverstrike hasTestCut testCutCount hasBankersMarks }
    tooling { toolingExtent } centering { centering }
    dieStudy { obverseDieState reverseDieState obverseDieMatch { id } }
    tpgGrading { gradeNumeric gradeDesignation hasStarDesignation verificationUrl }
    chronology { datePeriodNotation emissionPhase }
    strikeQualityDetail { isDoubleStruck isOffCenter offCenterPct }
    mint { id name province latitude longitude }
    images { id imageType filePath }
    references { id isPrimary referenceType { id localRef concordance { localRef } externalLinks { catalogSource externalUrl } } }
    provenanceEvents { id eventType eventDate auctionHouse saleNumber lotNumber hammerPrice totalPrice currency }
    countermarks { id countermarkType placement punchShape reference }
    tags
    gradingHistory { id eventType gradeService grade gradeNumeric certificationNumber isCurrent }
    rarityAssessments { id rarityCode raritySystem sourceName isPrimary }
    censusSnapshots { id service totalGraded gradeBreakdown percentile }
    enrichments { id capability reviewStatus confidence }
    valuations { id valuationDate currentMarketValue marketConfidence comparableCount }
    collections { id name }
    auctionData { id auctionHouse saleName lotNumber totalPrice currency }
    fieldHistory { id fieldName oldValue newValue changedAt }
  }
}
"""
