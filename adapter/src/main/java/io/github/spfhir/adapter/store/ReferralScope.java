package io.github.spfhir.adapter.store;

import java.util.List;
import java.util.Objects;

/**
 * Which referrals' resources a reader may see: all, none, those a practice sent (the ServiceRequest's requester
 * ODS code), or those addressed to a link-worker platform (the destination of the referral's
 * referral-to-link-worker delivery). A resource belongs to its referral as FHIR links them: the ServiceRequest
 * itself and onward referrals {@code basedOn} it; the Task whose {@code focus} it is; Observations and
 * QuestionnaireResponses {@code basedOn} it; and the Patient who is its {@code subject} (a Patient with referrals
 * from two practices is visible to both).
 *
 * <p>Applied inside the store's queries ({@link MessageStore#search(String, java.util.Map, int, int, ReferralScope)},
 * {@link ReferralAccessStore#isVisible}), so a search's total and pages count only what the reader may see.
 */
public record ReferralScope(Kind kind, String value) {

    public enum Kind { ALL, NONE, SENT_BY_PRACTICE, ADDRESSED_TO_PLATFORM }

    /** The servlet request attribute in which the HTTP door puts the scope of the caller's searches. */
    public static final String REQUEST_ATTRIBUTE = "io.github.spfhir.adapter.store.ReferralScope";

    public static final ReferralScope ALL = new ReferralScope(Kind.ALL, null);
    public static final ReferralScope NONE = new ReferralScope(Kind.NONE, null);

    /** The index rows the requester's ODS code is found by ({@link SearchIndex}). */
    static final String REQUESTER_IDENTIFIER = "requester:identifier";
    private static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

    public ReferralScope {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SENT_BY_PRACTICE || kind == Kind.ADDRESSED_TO_PLATFORM) && (value == null || value.isBlank())) {
            throw new IllegalArgumentException(kind + " needs a value");
        }
    }

    public static ReferralScope sentBy(String odsCode) {
        return new ReferralScope(Kind.SENT_BY_PRACTICE, odsCode);
    }

    public static ReferralScope addressedTo(String platformId) {
        return new ReferralScope(Kind.ADDRESSED_TO_PLATFORM, platformId);
    }

    /** An SQL condition on {@code r} (a row of fhir_resource of this type), with its parameters in order. */
    Condition condition(String resourceType) {
        if (kind == Kind.ALL) {
            return new Condition("", List.of());
        }
        if (kind == Kind.NONE) {
            return new Condition(" and 1 = 0", List.of());
        }
        // the referrals (ServiceRequests) in scope: their ids, and the references to them
        String column;
        String from;
        List<Object> params;
        if (kind == Kind.SENT_BY_PRACTICE) {
            column = "s.resource_id";
            from = " from fhir_search_index s where s.resource_type = 'ServiceRequest' and s.param_name = '"
                    + REQUESTER_IDENTIFIER + "' and s.param_value = ?";
            params = List.of(ODS_SYSTEM + "|" + value);
        } else {
            column = "d.referral_id";
            from = " from delivery d where d.flow = 'referral-to-link-worker' and d.destination_id = ?";
            params = List.of(value);
        }
        String referrals = "select " + column + from;
        String references = "select 'ServiceRequest/' || " + column + from;
        String sql = switch (resourceType) {
            case "ServiceRequest" -> " and (r.id in (" + referrals + ") or r.id in (select b.resource_id from"
                    + " fhir_search_index b where b.resource_type = 'ServiceRequest' and b.param_name = 'based-on'"
                    + " and b.param_value in (" + references + ")))";
            case "Task" -> linked("Task", "focus", references);
            case "Observation" -> linked("Observation", "based-on", references);
            case "QuestionnaireResponse" -> linked("QuestionnaireResponse", "based-on", references);
            case "Patient" -> " and 'Patient/' || r.id in (select p.param_value from fhir_search_index p"
                    + " where p.resource_type = 'ServiceRequest' and p.param_name = 'subject'"
                    + " and p.resource_id in (" + referrals + "))";
            default -> " and 1 = 0"; // a type no referral owns is in no referral's scope
        };
        List<Object> all = new java.util.ArrayList<>();
        int uses = sql.split("\\?", -1).length - 1;
        for (int i = 0; i < uses; i++) {
            all.addAll(params);
        }
        return new Condition(sql, all);
    }

    private static String linked(String type, String parameter, String references) {
        return " and r.id in (select l.resource_id from fhir_search_index l where l.resource_type = '" + type
                + "' and l.param_name = '" + parameter + "' and l.param_value in (" + references + "))";
    }

    /** An SQL fragment and its parameters. */
    record Condition(String sql, List<Object> params) {
    }
}
