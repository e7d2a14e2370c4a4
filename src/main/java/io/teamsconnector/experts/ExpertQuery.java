package io.teamsconnector.experts;

import io.teamsconnector.domain.ConnectorRules;
import io.teamsconnector.domain.DomainException;

/** A validated lookup: trimmed text, bounded limit. Plain Java, so its rules are unit-testable. */
public record ExpertQuery(String orgId, String query, String department, String jobTitle, int limit, String agentId) {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 50;
    static final int MAX_TEXT = 256;

    public static ExpertQuery from(ExpertLookupRequest request) {
        if (request == null) {
            throw DomainException.invalid("A JSON body with orgId and query is required.");
        }
        String orgId = ConnectorRules.requireId("orgId", request.orgId());
        String query = trimmed("query", request.query());
        String department = trimmed("department", request.department());
        String jobTitle = trimmed("jobTitle", request.jobTitle());
        if (query == null && department == null && jobTitle == null) {
            throw DomainException.invalid("query must not be blank unless department or jobTitle is given.");
        }
        int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw DomainException.invalid("limit must be between 1 and " + MAX_LIMIT + ".");
        }
        String agentId = request.agentId() == null ? null : ConnectorRules.requireId("agentId", request.agentId());
        return new ExpertQuery(orgId, query, department, jobTitle, limit, agentId);
    }

    private static String trimmed(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.length() > MAX_TEXT) {
            throw DomainException.invalid(field + " must be at most " + MAX_TEXT + " characters.");
        }
        return text;
    }
}
