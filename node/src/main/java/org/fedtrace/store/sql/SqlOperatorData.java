package org.fedtrace.store.sql;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.StoreException;

/**
 * {@link OperatorData} in the tables {@code operator_device} (one row per device key, holding only
 * its SHA-256; its integer id is the device reference of the matching index and of exposures),
 * {@code operator_observation}, {@code operator_exposure}, {@code operator_revoked} and {@code
 * operator_match_cursor}.
 */
final class SqlOperatorData implements OperatorData {
  /** The tables, added to the store's schema in version 2. */
  static final List<String> DDL =
      List.of(
          "CREATE TABLE operator_device ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " device_sha256 BLOB NOT NULL UNIQUE)",
          "CREATE TABLE operator_observation ("
              + " device INTEGER NOT NULL REFERENCES operator_device (id),"
              + " rpi BLOB NOT NULL,"
              + " interval_number INTEGER NOT NULL,"
              + " duration_seconds INTEGER NOT NULL,"
              + " attenuation_db INTEGER NOT NULL,"
              + " PRIMARY KEY (device, rpi, interval_number)) WITHOUT ROWID",
          "CREATE INDEX operator_observation_interval ON operator_observation (interval_number)",
          "CREATE TABLE operator_exposure ("
              + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
              + " device INTEGER NOT NULL REFERENCES operator_device (id),"
              + " origin TEXT NOT NULL,"
              + " key_data BLOB NOT NULL,"
              + " interval_ranges BLOB NOT NULL,"
              + " last_interval INTEGER NOT NULL,"
              + " duration_seconds INTEGER NOT NULL,"
              + " risk_score REAL NOT NULL,"
              + " notified INTEGER NOT NULL,"
              + " matched_unix_seconds INTEGER NOT NULL,"
              + " UNIQUE (device, origin, key_data))",
          "CREATE INDEX operator_exposure_key ON operator_exposure (origin, key_data)",
          "CREATE TABLE operator_match_cursor ("
              + " id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " position INTEGER NOT NULL)");

  /**
   * Schema version 3: the keys origins revoked, so that a revocation stored before the key it
   * revokes (it can overtake it on another route) still keeps that key from matching (R15.18). Kept
   * until the key's validity ends before the retention window.
   */
  static final List<String> DDL_V3 =
      List.of(
          "CREATE TABLE operator_revoked ("
              + " origin TEXT NOT NULL,"
              + " key_data BLOB NOT NULL,"
              + " end_interval INTEGER NOT NULL,"
              + " PRIMARY KEY (origin, key_data)) WITHOUT ROWID");

  /**
   * Schema version 5: the number of the deposit that stored each observation, and the counter
   * deposits take their number from (it never goes back, whatever is purged).
   */
  static final List<String> DDL_V5 =
      List.of(
          "ALTER TABLE operator_observation ADD COLUMN deposit INTEGER NOT NULL DEFAULT 0",
          "CREATE INDEX operator_observation_deposit ON operator_observation (deposit)",
          "CREATE TABLE operator_deposit_counter ("
              + " id INTEGER PRIMARY KEY CHECK (id = 1),"
              + " last INTEGER NOT NULL)",
          "INSERT INTO operator_deposit_counter (id, last) VALUES (1, 0)");

  private final Sql sql;

  SqlOperatorData(Sql sql) {
    this.sql = sql;
  }

  @Override
  public Deposit deposit(byte[] deviceSha256, List<Observed> observations, long maxPerDevice) {
    int device = deviceId(deviceSha256);
    long held = sql.number("SELECT COUNT(*) FROM operator_observation WHERE device = ?", device);
    // writes are serial, so deposits take their numbers in commit order
    sql.update("UPDATE operator_deposit_counter SET last = last + 1 WHERE id = 1");
    long deposit = lastDeposit();
    List<Observed> stored = new ArrayList<>();
    for (Observed o : observations) {
      int changed =
          sql.update(
              "INSERT INTO operator_observation"
                  + " (device, rpi, interval_number, duration_seconds, attenuation_db, deposit)"
                  + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
              device,
              o.rpi(),
              o.interval(),
              o.durationSeconds(),
              o.attenuationDb(),
              deposit);
      if (changed == 1) {
        stored.add(o);
      }
    }
    if (held + stored.size() > maxPerDevice) {
      throw new RuleViolation(
          Rule.DEVICE_OBSERVATION_LIMIT,
          "the device would hold "
              + (held + stored.size())
              + " observations; this node keeps at most "
              + maxPerDevice
              + " per device");
    }
    return new Deposit(device, stored, observations.size() - stored.size());
  }

  private int deviceId(byte[] deviceSha256) {
    sql.update(
        "INSERT INTO operator_device (device_sha256) VALUES (?) ON CONFLICT DO NOTHING",
        deviceSha256);
    return existingDeviceId(deviceSha256);
  }

  /** The id of the device whose key hashes to {@code deviceSha256}, or -1 if there is none. */
  private int existingDeviceId(byte[] deviceSha256) {
    long id =
        sql.one(
                "SELECT id FROM operator_device WHERE device_sha256 = ?",
                rs -> rs.getLong(1),
                deviceSha256)
            .orElse(-1L);
    if (id > Integer.MAX_VALUE) {
      throw new StoreException("device ids are exhausted", null);
    }
    return (int) id;
  }

  @Override
  public long lastDeposit() {
    return sql.number("SELECT last FROM operator_deposit_counter WHERE id = 1");
  }

  @Override
  public void forEachObservation(long after, long upTo, ObservationSink sink) {
    sql.forEach(
        "SELECT device, rpi, interval_number, duration_seconds, attenuation_db"
            + " FROM operator_observation WHERE deposit > ? AND deposit <= ?",
        rs -> {
          sink.accept(
              rs.getInt(1), new Observed(rs.getBytes(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)));
          return null;
        },
        after,
        upTo);
  }

  @Override
  public long observationCount() {
    return sql.number("SELECT COUNT(*) FROM operator_observation");
  }

  @Override
  public long exposureCount() {
    return sql.number("SELECT COUNT(*) FROM operator_exposure");
  }

  @Override
  public long[] deleteBefore(long firstKeptInterval) {
    long observations =
        sql.update("DELETE FROM operator_observation WHERE interval_number < ?", firstKeptInterval);
    long exposures =
        sql.update("DELETE FROM operator_exposure WHERE last_interval < ?", firstKeptInterval);
    sql.update("DELETE FROM operator_revoked WHERE end_interval < ?", firstKeptInterval);
    if (observations > 0 || exposures > 0) {
      sql.update(
          "DELETE FROM operator_device WHERE"
              + " NOT EXISTS (SELECT 1 FROM operator_observation o"
              + " WHERE o.device = operator_device.id)"
              + " AND NOT EXISTS (SELECT 1 FROM operator_exposure e"
              + " WHERE e.device = operator_device.id)");
    }
    return new long[] {observations, exposures};
  }

  @Override
  public long[] eraseAll() {
    long observations = sql.update("DELETE FROM operator_observation");
    long exposures = sql.update("DELETE FROM operator_exposure");
    sql.update("DELETE FROM operator_device");
    sql.update("DELETE FROM operator_revoked");
    return new long[] {observations, exposures};
  }

  @Override
  public long matchCursor() {
    return sql.number("SELECT COALESCE(MAX(position), 0) FROM operator_match_cursor");
  }

  @Override
  public void setMatchCursor(long position) {
    sql.update(
        "INSERT INTO operator_match_cursor (id, position) VALUES (1, ?)"
            + " ON CONFLICT(id) DO UPDATE SET position = excluded.position",
        position);
  }

  @Override
  public boolean insertExposure(ExposureRow e) {
    int[] ranges = e.intervalRanges();
    return sql.update(
            "INSERT INTO operator_exposure (device, origin, key_data, interval_ranges,"
                + " last_interval, duration_seconds, risk_score, notified, matched_unix_seconds)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                + " operator_revoked WHERE origin = ? AND key_data = ?) ON CONFLICT DO NOTHING",
            e.device(),
            e.key().origin(),
            e.key().keyData(),
            packRanges(ranges),
            Integer.toUnsignedLong(ranges[ranges.length - 1]),
            e.durationSeconds(),
            e.riskScore(),
            e.notified(),
            e.matchedUnixSeconds(),
            e.key().origin(), // R15.18: never a key its origin revoked, in any order
            e.key().keyData())
        == 1;
  }

  @Override
  public int withdraw(OriginKey key, long endInterval) {
    sql.update(
        "INSERT INTO operator_revoked (origin, key_data, end_interval) VALUES (?, ?, ?)"
            + " ON CONFLICT DO NOTHING",
        key.origin(),
        key.keyData(),
        endInterval);
    return sql.update(
        "DELETE FROM operator_exposure WHERE origin = ? AND key_data = ?",
        key.origin(),
        key.keyData());
  }

  @Override
  public List<ExposureRow> exposures(byte[] deviceSha256) {
    int device = existingDeviceId(deviceSha256);
    if (device < 0) {
      return List.of();
    }
    return sql.list(
        "SELECT origin, key_data, interval_ranges, duration_seconds, risk_score, notified,"
            + " matched_unix_seconds FROM operator_exposure WHERE device = ? ORDER BY id",
        rs ->
            new ExposureRow(
                device,
                new OriginKey(rs.getString(1), rs.getBytes(2)),
                unpackRanges(rs.getBytes(3)),
                rs.getLong(4),
                rs.getDouble(5),
                rs.getInt(6) == 1,
                rs.getLong(7)),
        device);
  }

  private static byte[] packRanges(int[] ranges) {
    ByteBuffer b = ByteBuffer.allocate(4 * ranges.length);
    for (int r : ranges) {
      b.putInt(r);
    }
    return b.array();
  }

  private static int[] unpackRanges(byte[] packed) {
    ByteBuffer b = ByteBuffer.wrap(packed);
    int[] out = new int[packed.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getInt();
    }
    return out;
  }
}
