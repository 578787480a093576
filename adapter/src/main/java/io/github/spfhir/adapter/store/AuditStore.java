package io.github.spfhir.adapter.store;

import static io.github.spfhir.adapter.store.JdbcValues.instant;
import static io.github.spfhir.adapter.store.JdbcValues.truncate;
import static io.github.spfhir.adapter.store.JdbcValues.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail ({@code audit_event}): written once per audited request (through {@link AuditTrailWriter}), listed
 * for operators, pruned by age.
 */
@Repository
public class AuditStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public AuditStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** Writes entries in one commit, in the order given (their ids follow it), all or none. */
    public void recordAll(List<AuditRecord> records) {
        transactions.executeWithoutResult(status -> records.forEach(this::insert));
    }

    private void insert(AuditRecord r) {
        jdbc.sql("""
                insert into audit_event (occurred_at, client_id, issuer, role, organisation, platform_id, method, path,
                                         query, operation, resource_type, resource_id, http_status, outcome,
                                         correlation_id, request_id, remote_address)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(ts(r.occurredAt()), truncate(r.clientId(), 200), truncate(r.issuer(), 300),
                        truncate(r.role(), 40), truncate(r.organisation(), 40), truncate(r.platformId(), 100),
                        truncate(r.method(), 10), truncate(r.path(), 500), truncate(r.query(), 1000),
                        truncate(r.operation(), 40), truncate(r.resourceType(), 40), truncate(r.resourceId(), 64),
                        r.httpStatus(), truncate(r.outcome(), 300), truncate(r.correlationId(), 64),
                        truncate(r.requestId(), 64), truncate(r.remoteAddress(), 64))
                .update();
    }

    /**
     * The newest entries first, optionally of one client, of one resource type ({@code Task}) or resource
     * ({@code Task/123}), and from a time on.
     */
    public List<AuditRecord> list(String clientId, String resource, Instant from, int limit) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (clientId != null && !clientId.isBlank()) {
            where.append(" and client_id = ?");
            params.add(clientId);
        }
        if (resource != null && !resource.isBlank()) {
            int slash = resource.indexOf('/');
            where.append(" and resource_type = ?");
            params.add(slash < 0 ? resource : resource.substring(0, slash));
            if (slash >= 0) {
                where.append(" and resource_id = ?");
                params.add(resource.substring(slash + 1));
            }
        }
        if (from != null) {
            where.append(" and occurred_at >= ?");
            params.add(ts(from));
        }
        params.add(limit);
        return jdbc.sql("""
                select id, occurred_at, client_id, issuer, role, organisation, platform_id, method, path, query,
                       operation, resource_type, resource_id, http_status, outcome, correlation_id, request_id,
                       remote_address
                from audit_event""" + where + " order by occurred_at desc, id desc limit ?")
                .params(params).query(AuditStore::record).list();
    }

    /** Deletes the entries older than the cutoff; returns how many. */
    public int pruneBefore(Instant cutoff) {
        return jdbc.sql("delete from audit_event where occurred_at < ?").param(ts(cutoff)).update();
    }

    private static AuditRecord record(ResultSet rs, int row) throws SQLException {
        return new AuditRecord(rs.getLong(1), instant(rs, 2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                rs.getString(11), rs.getString(12), rs.getString(13), rs.getInt(14), rs.getString(15),
                rs.getString(16), rs.getString(17), rs.getString(18));
    }
}
