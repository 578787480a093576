package io.github.spfhir.adapter.store;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Whether one stored resource is in a reader's {@link ReferralScope}: the check behind reads, history and updates. */
@Repository
public class ReferralAccessStore {

    private final JdbcClient jdbc;

    public ReferralAccessStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** True when the resource is held and in scope; false for one not held, so the two cannot be told apart. */
    public boolean isVisible(String resourceType, String id, ReferralScope scope) {
        ReferralScope.Condition inScope = scope.condition(resourceType);
        List<Object> params = new ArrayList<>();
        params.add(resourceType);
        params.add(id);
        params.addAll(inScope.params());
        return jdbc.sql("select count(*) from fhir_resource r where r.resource_type = ? and r.id = ?" + inScope.sql())
                .params(params).query(Integer.class).single() > 0;
    }
}
