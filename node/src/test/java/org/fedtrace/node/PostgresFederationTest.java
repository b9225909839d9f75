package org.fedtrace.node;

import java.time.Clock;
import org.fedtrace.testing.TestFederation;

/** Every test of {@link FederationTest}, with each node's store on PostgreSQL. */
class PostgresFederationTest extends FederationTest {
  @Override
  TestFederation federation(Clock clock, String... countries) {
    return super.federation(clock, countries).withPostgres();
  }
}
