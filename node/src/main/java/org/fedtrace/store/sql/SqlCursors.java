package org.fedtrace.store.sql;

import java.util.List;
import java.util.Optional;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.store.Cursors;
import org.fedtrace.store.PeerCursor;

/**
 * {@link Cursors} in the {@code peer_cursor} table, keyed by "CC/operator-id" for a peer pulled
 * from and "push:CC/operator-id" for a peer pushed to.
 */
final class SqlCursors implements Cursors {
  static final List<String> DDL =
      List.of("CREATE TABLE peer_cursor (peer TEXT PRIMARY KEY, cursor BLOB NOT NULL)");

  private final Sql sql;

  SqlCursors(Sql sql) {
    this.sql = sql;
  }

  @Override
  public Optional<byte[]> get(OperatorIdentity peer, PeerCursor.Direction direction) {
    return sql.one(
        "SELECT cursor FROM peer_cursor WHERE peer = ?",
        rs -> rs.getBytes(1),
        key(peer, direction));
  }

  @Override
  public void put(PeerCursor c) {
    sql.update(
        "INSERT INTO peer_cursor (peer, cursor) VALUES (?, ?)"
            + " ON CONFLICT(peer) DO UPDATE SET cursor = excluded.cursor",
        key(c.peer(), c.direction()),
        c.value());
  }

  @Override
  public void eraseAll() {
    sql.update("DELETE FROM peer_cursor");
  }

  private static String key(OperatorIdentity peer, PeerCursor.Direction direction) {
    return direction == PeerCursor.Direction.PUSH ? "push:" + peer : peer.toString();
  }
}
