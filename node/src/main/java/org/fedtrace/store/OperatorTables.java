package org.fedtrace.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The tables of operator-assisted matching (spec §15), as a view on one connection whose
 * transaction the caller owns ({@link Store#inWriteTransaction}, {@link Store#inReadTransaction}).
 *
 * <ul>
 *   <li>{@code operator_device}: one row per device key, holding only its SHA-256 (R15.25); its
 *       integer id is the device reference of the matching index and of exposures.
 *   <li>{@code operator_observation}: what devices deposited, at most one row per (device, rpi,
 *       interval), so a repeated deposit stores nothing twice (R15.14).
 *   <li>{@code operator_exposure}: what matching found, one row per (device, origin, key). The key
 *       is kept only to withdraw the exposure when its origin revokes the key (R15.19); it is never
 *       answered.
 *   <li>{@code operator_match_cursor}: the position of the last stored batch matched, committed
 *       with that batch's exposures, so a crash neither loses nor repeats one (R15.21).
 * </ul>
 */
public final class OperatorTables {
  /** The tables, added to the store's schema in version 2. */
  public static final List<String> DDL =
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
  public static final List<String> DDL_V3 =
      List.of(
          "CREATE TABLE operator_revoked ("
              + " origin TEXT NOT NULL,"
              + " key_data BLOB NOT NULL,"
              + " end_interval INTEGER NOT NULL,"
              + " PRIMARY KEY (origin, key_data)) WITHOUT ROWID");

  /**
   * One observation.
   *
   * @param rpi the 16 bytes heard
   * @param interval the interval number it was heard in
   */
  public record Observed(byte[] rpi, int interval, int durationSeconds, int attenuationDb) {}

  /**
   * Outcome of a deposit.
   *
   * @param device the device's id
   * @param stored the observations newly stored, in request order
   * @param duplicates how many the device already had
   */
  public record Deposit(int device, List<Observed> stored, int duplicates) {}

  /**
   * One exposure.
   *
   * @param intervalRanges first and last interval of each run of consecutive matched intervals,
   *     ascending: {@code [first0, last0, first1, last1, ...]}
   * @param keyData the matched key, kept for withdrawal only
   */
  public record ExposureRow(
      int device,
      String origin,
      byte[] keyData,
      int[] intervalRanges,
      long durationSeconds,
      double riskScore,
      boolean notified,
      long matchedUnixSeconds) {}

  /** Receives stored observations, for loading the matching index. */
  @FunctionalInterface
  public interface ObservationSink {
    /** One observation of {@code device}. */
    void accept(int device, Observed o);
  }

  private final Connection c;

  /** A view on {@code connection}; the caller owns its transaction. */
  public OperatorTables(Connection connection) {
    this.c = connection;
  }

  /**
   * Stores the observations of the device whose key hashes to {@code deviceSha256}, skipping those
   * it already holds.
   *
   * @throws RuleViolation {@link Rule#DEVICE_OBSERVATION_LIMIT} when the device would hold more
   *     than {@code maxPerDevice} observations (the caller's transaction must then roll back)
   */
  public Deposit deposit(byte[] deviceSha256, List<Observed> observations, long maxPerDevice)
      throws SQLException {
    int device = deviceId(deviceSha256);
    long held;
    try (PreparedStatement q =
        c.prepareStatement("SELECT COUNT(*) FROM operator_observation WHERE device = ?")) {
      q.setInt(1, device);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        held = rs.getLong(1);
      }
    }
    List<Observed> stored = new ArrayList<>();
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT OR IGNORE INTO operator_observation"
                + " (device, rpi, interval_number, duration_seconds, attenuation_db)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      for (Observed o : observations) {
        ins.setInt(1, device);
        ins.setBytes(2, o.rpi());
        ins.setInt(3, o.interval());
        ins.setInt(4, o.durationSeconds());
        ins.setInt(5, o.attenuationDb());
        if (ins.executeUpdate() == 1) {
          stored.add(o);
        }
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

  private int deviceId(byte[] deviceSha256) throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT INTO operator_device (device_sha256) VALUES (?) ON CONFLICT DO NOTHING")) {
      ins.setBytes(1, deviceSha256);
      ins.executeUpdate();
    }
    return existingDeviceId(deviceSha256);
  }

  /** The id of the device whose key hashes to {@code deviceSha256}, or -1 if there is none. */
  private int existingDeviceId(byte[] deviceSha256) throws SQLException {
    try (PreparedStatement q =
        c.prepareStatement("SELECT id FROM operator_device WHERE device_sha256 = ?")) {
      q.setBytes(1, deviceSha256);
      try (ResultSet rs = q.executeQuery()) {
        if (!rs.next()) {
          return -1;
        }
        long id = rs.getLong(1);
        if (id > Integer.MAX_VALUE) {
          throw new SQLException("device ids are exhausted");
        }
        return (int) id;
      }
    }
  }

  /** Calls {@code sink} with every stored observation. */
  public void forEachObservation(ObservationSink sink) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT device, rpi, interval_number, duration_seconds, attenuation_db"
                    + " FROM operator_observation")) {
      while (rs.next()) {
        sink.accept(
            rs.getInt(1), new Observed(rs.getBytes(2), rs.getInt(3), rs.getInt(4), rs.getInt(5)));
      }
    }
  }

  /** Number of stored observations. */
  public long observationCount() throws SQLException {
    return count("operator_observation");
  }

  /** Number of stored exposures. */
  public long exposureCount() throws SQLException {
    return count("operator_exposure");
  }

  private long count(String table) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Deletes observations heard before {@code firstKeptInterval}, exposures whose last interval is
   * before it, and devices left with neither (retention).
   *
   * @return observations and exposures deleted
   */
  public long[] deleteBefore(long firstKeptInterval) throws SQLException {
    long observations;
    long exposures;
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM operator_observation WHERE interval_number < ?")) {
      del.setLong(1, firstKeptInterval);
      observations = del.executeUpdate();
    }
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM operator_exposure WHERE last_interval < ?")) {
      del.setLong(1, firstKeptInterval);
      exposures = del.executeUpdate();
    }
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM operator_revoked WHERE end_interval < ?")) {
      del.setLong(1, firstKeptInterval);
      del.executeUpdate();
    }
    if (observations > 0 || exposures > 0) {
      try (Statement s = c.createStatement()) {
        s.executeUpdate(
            "DELETE FROM operator_device WHERE"
                + " NOT EXISTS (SELECT 1 FROM operator_observation o"
                + " WHERE o.device = operator_device.id)"
                + " AND NOT EXISTS (SELECT 1 FROM operator_exposure e"
                + " WHERE e.device = operator_device.id)");
      }
    }
    return new long[] {observations, exposures};
  }

  /**
   * Erases every observation, exposure and device key (sunset). The match cursor stays, so batches
   * already passed are not matched again.
   *
   * @return observations and exposures erased
   */
  public long[] eraseAll() throws SQLException {
    long observations;
    long exposures;
    try (Statement s = c.createStatement()) {
      observations = s.executeUpdate("DELETE FROM operator_observation");
      exposures = s.executeUpdate("DELETE FROM operator_exposure");
      s.executeUpdate("DELETE FROM operator_device");
      s.executeUpdate("DELETE FROM operator_revoked");
    }
    return new long[] {observations, exposures};
  }

  /** Position of the last stored batch matched, 0 before the first. */
  public long matchCursor() throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COALESCE(MAX(position), 0) FROM operator_match_cursor")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Records that every stored batch up to {@code position} is matched. */
  public void setMatchCursor(long position) throws SQLException {
    try (PreparedStatement up =
        c.prepareStatement(
            "INSERT INTO operator_match_cursor (id, position) VALUES (1, ?)"
                + " ON CONFLICT(id) DO UPDATE SET position = excluded.position")) {
      up.setLong(1, position);
      up.executeUpdate();
    }
  }

  /**
   * Stores an exposure, unless the device already has one from the same origin and key (the key
   * arrived again in another batch).
   *
   * @return whether it was stored
   */
  public boolean insertExposure(ExposureRow e) throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT OR IGNORE INTO operator_exposure (device, origin, key_data, interval_ranges,"
                + " last_interval, duration_seconds, risk_score, notified, matched_unix_seconds)"
                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM"
                + " operator_revoked WHERE origin = ? AND key_data = ?)")) {
      ins.setInt(1, e.device());
      ins.setString(2, e.origin());
      ins.setBytes(3, e.keyData());
      ins.setBytes(4, packRanges(e.intervalRanges()));
      ins.setLong(5, Integer.toUnsignedLong(e.intervalRanges()[e.intervalRanges().length - 1]));
      ins.setLong(6, e.durationSeconds());
      ins.setDouble(7, e.riskScore());
      ins.setInt(8, e.notified() ? 1 : 0);
      ins.setLong(9, e.matchedUnixSeconds());
      ins.setString(10, e.origin()); // R15.18: never a key its origin revoked, in any order
      ins.setBytes(11, e.keyData());
      return ins.executeUpdate() == 1;
    }
  }

  /**
   * Deletes the exposures to the key {@code keyData} of {@code origin}, which that origin revoked,
   * and remembers the revocation until {@code endInterval} (the key's last interval plus one) falls
   * before the retention window, so that the key never matches later either.
   *
   * @return how many were deleted
   */
  public int withdraw(String origin, byte[] keyData, long endInterval) throws SQLException {
    try (PreparedStatement ins =
        c.prepareStatement(
            "INSERT OR IGNORE INTO operator_revoked (origin, key_data, end_interval)"
                + " VALUES (?, ?, ?)")) {
      ins.setString(1, origin);
      ins.setBytes(2, keyData);
      ins.setLong(3, endInterval);
      ins.executeUpdate();
    }
    try (PreparedStatement del =
        c.prepareStatement("DELETE FROM operator_exposure WHERE origin = ? AND key_data = ?")) {
      del.setString(1, origin);
      del.setBytes(2, keyData);
      return del.executeUpdate();
    }
  }

  /** The exposures of the device whose key hashes to {@code deviceSha256}, oldest first. */
  public List<ExposureRow> exposures(byte[] deviceSha256) throws SQLException {
    List<ExposureRow> out = new ArrayList<>();
    int device = existingDeviceId(deviceSha256);
    if (device < 0) {
      return out;
    }
    try (PreparedStatement q =
        c.prepareStatement(
            "SELECT origin, key_data, interval_ranges, duration_seconds, risk_score, notified,"
                + " matched_unix_seconds FROM operator_exposure WHERE device = ? ORDER BY id")) {
      q.setInt(1, device);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ExposureRow(
                  device,
                  rs.getString(1),
                  rs.getBytes(2),
                  unpackRanges(rs.getBytes(3)),
                  rs.getLong(4),
                  rs.getDouble(5),
                  rs.getInt(6) == 1,
                  rs.getLong(7)));
        }
      }
    }
    return out;
  }

  private static byte[] packRanges(int[] ranges) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * ranges.length);
    for (int r : ranges) {
      b.putInt(r);
    }
    return b.array();
  }

  private static int[] unpackRanges(byte[] packed) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(packed);
    int[] out = new int[packed.length / 4];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getInt();
    }
    return out;
  }
}
