package org.fedtrace.sim.population;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A contact list sized up front keeps every contact when it grows past its room, and trims. */
class DayContactsTest {
  @Test
  void growsPastItsCapacityAndTrimsWithoutLosingAContact() {
    DayContacts c = new DayContacts(3, 16);
    for (int i = 0; i < 40; i++) {
      if (i == 30) {
        c.startHouseholds();
      }
      c.add(i, i + 1000, 7 * 60 + i, 1 + i % 60, 30 + i);
    }
    c.trim();
    assertEquals(40, c.size());
    for (int i = 0; i < 40; i++) {
      assertEquals(i, c.first(i));
      assertEquals(i + 1000, c.second(i));
      assertEquals(7 * 60 + i, c.minute(i));
      assertEquals(3 * 24 + 7, c.hour(i));
      assertEquals(1 + i % 60, c.duration(i));
      assertEquals(30 + i, c.attenuation(i));
    }
    assertFalse(c.isHousehold(29));
    assertTrue(c.isHousehold(30));
  }

  @Test
  void attenuationAboveAByteIsReadUnsigned() {
    DayContacts c = new DayContacts(0, 0);
    c.add(1, 2, 0, 60, 200);
    assertEquals(200, c.attenuation(0));
    assertEquals(1, c.size());
  }
}
