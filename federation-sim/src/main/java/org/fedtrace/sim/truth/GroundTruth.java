package org.fedtrace.sim.truth;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;

/**
 * What really happened, kept on the simulator's side of the federation boundary: every visit and
 * contact of every day, every upload, and whose key each uploaded key is. Nothing here is ever sent
 * to a node; the federation never tells the simulator who a key belongs to.
 */
public final class GroundTruth {
  private final List<DayVisits> visits = new ArrayList<>();
  private final List<DayContacts> contacts = new ArrayList<>();
  private final Map<ByteString, KeyOwner> owners = new HashMap<>();
  private final List<Upload> uploads = new ArrayList<>();

  /** Records a simulated day; days come in order from 0. */
  public void addDay(DayVisits dayVisits, DayContacts dayContacts) {
    if (dayVisits.day() != visits.size() || dayContacts.day() != contacts.size()) {
      throw new IllegalArgumentException("days must be added in order");
    }
    visits.add(dayVisits);
    contacts.add(dayContacts);
  }

  /** Records that {@code agent} uploaded {@code keys} (16-byte key data by key day) at an hour. */
  public void addUpload(int agent, int hour, Map<Integer, ByteString> keysByDay) {
    keysByDay.forEach((day, key) -> owners.put(key, new KeyOwner(agent, day)));
    uploads.add(new Upload(agent, hour, List.copyOf(keysByDay.keySet())));
  }

  /** Days recorded so far. */
  public int days() {
    return visits.size();
  }

  /** Visits of {@code day}. */
  public DayVisits visits(int day) {
    return visits.get(day);
  }

  /** Contacts of {@code day}. */
  public DayContacts contacts(int day) {
    return contacts.get(day);
  }

  /** The owner of an uploaded key, or null for a key nobody uploaded (padding). */
  public KeyOwner owner(ByteString keyData) {
    return owners.get(keyData);
  }

  /**
   * The keys of {@code keys} that belong to an uploader, in order: without the padding keys, whose
   * RPIs match an observation only by a 2^-128 accident (the {@code phones_skip_padding} shortcut).
   */
  public List<DiagnosisKey> uploadersKeys(List<DiagnosisKey> keys) {
    List<DiagnosisKey> real = new ArrayList<>(keys.size());
    for (DiagnosisKey k : keys) {
      if (owners.containsKey(k.getKeyData())) {
        real.add(k);
      }
    }
    return real;
  }

  /** The uploads, in time order. */
  public List<Upload> uploads() {
    return List.copyOf(uploads);
  }

  /**
   * Whose key a key is.
   *
   * @param agent the person
   * @param day the simulated day the key was valid on
   */
  public record KeyOwner(int agent, int day) {}

  /**
   * One person's upload.
   *
   * @param agent the person
   * @param hour the simulated hour of the upload
   * @param keyDays the simulated days of the uploaded keys, ascending
   */
  public record Upload(int agent, int hour, List<Integer> keyDays) {
    /** Copies the list. */
    public Upload {
      keyDays = List.copyOf(keyDays);
    }
  }
}
