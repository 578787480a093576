package io.github.spfhir.adapter.store;

import static io.github.spfhir.adapter.store.JdbcValues.instant;
import static io.github.spfhir.adapter.store.JdbcValues.truncate;
import static io.github.spfhir.adapter.store.JdbcValues.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Operators' corrections of failed deliveries' payloads ({@code delivery_edit}). A correction and the new payload
 * are written together, under a lock on the delivery row, so an edit cannot slip between a replay reopening the
 * delivery and the delivery route reading its payload, and no payload changes without its record.
 */
@Repository
public class DeliveryEditStore {

    private static final int MAX_REASON_LENGTH = 1000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public DeliveryEditStore(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Replaces the payload of a FAILED delivery and records who did it, with the payload before and after.
     *
     * @param expectedBefore the payload the new one was checked against; if it changed meanwhile nothing is written
     * @return the edit recorded; empty when the delivery is not held, is no longer FAILED, or its payload is no longer
     *         {@code expectedBefore} (another edit came first)
     */
    public Optional<DeliveryEdit> replaceFailedPayload(String deliveryId, String expectedBefore, String newPayload,
            String clientId, String issuer, String role, String reason) {
        return transactions.execute(status -> {
            Optional<String[]> current = jdbc.sql("select state, payload, content_type from delivery where id = ? for update")
                    .param(deliveryId)
                    .query((rs, row) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                    .optional();
            if (current.isEmpty() || !DeliveryState.FAILED.name().equals(current.get()[0])
                    || !current.get()[1].equals(expectedBefore)) {
                return Optional.<DeliveryEdit>empty();
            }
            Instant now = clock.instant();
            jdbc.sql("update delivery set payload = ?, updated_at = ? where id = ?")
                    .params(newPayload, ts(now), deliveryId).update();
            jdbc.sql("""
                    insert into delivery_edit (delivery_id, edited_at, client_id, issuer, role, reason, content_type,
                                               before_payload, after_payload)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(deliveryId, ts(now), truncate(clientId, 200), truncate(issuer, 300), truncate(role, 40),
                            truncate(reason, MAX_REASON_LENGTH), current.get()[2], expectedBefore, newPayload)
                    .update();
            return edits(deliveryId).stream().reduce((first, second) -> second);
        });
    }

    /** The corrections of a delivery, oldest first. */
    public List<DeliveryEdit> edits(String deliveryId) {
        return jdbc.sql("""
                select id, delivery_id, edited_at, client_id, issuer, role, reason, content_type, before_payload,
                       after_payload
                from delivery_edit where delivery_id = ? order by edited_at, id""")
                .param(deliveryId).query(DeliveryEditStore::edit).list();
    }

    /** Deletes the records of corrections made before the cutoff (they hold patient data); returns how many. */
    public int pruneBefore(Instant cutoff) {
        return jdbc.sql("delete from delivery_edit where edited_at < ?").param(ts(cutoff)).update();
    }

    private static DeliveryEdit edit(ResultSet rs, int row) throws SQLException {
        return new DeliveryEdit(rs.getLong(1), rs.getString(2), instant(rs, 3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
