package io.teamsconnector.experts;

/** Body of {@code POST /expert-lookup}. */
public record ExpertLookupRequest(String orgId, String query, String department, String jobTitle, Integer limit,
                                  String agentId) {
}
