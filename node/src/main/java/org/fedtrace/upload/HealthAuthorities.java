package org.fedtrace.upload;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.fedtrace.crypto.VerifyingKey;

/**
 * The health-authority keys a node trusts for upload authorizations: those the federation agreement
 * lists, plus a national trust list from the node's configuration. Immutable.
 */
public final class HealthAuthorities {
  /** One trusted key. */
  public record Authority(String country, String name, VerifyingKey key) {}

  private final Map<ByteString, Authority> byKeyId;

  private HealthAuthorities(Map<ByteString, Authority> byKeyId) {
    this.byKeyId = Map.copyOf(byKeyId);
  }

  /** Starts an empty list. */
  public static Builder builder() {
    return new Builder();
  }

  /** The authority whose key id is {@code keyId}, if trusted. */
  public Optional<Authority> find(ByteString keyId) {
    return Optional.ofNullable(byKeyId.get(keyId));
  }

  /** The distinct names of the authorities of {@code country}, sorted. */
  public java.util.List<String> names(String country) {
    return byKeyId.values().stream()
        .filter(a -> a.country().equals(country))
        .map(Authority::name)
        .distinct()
        .sorted()
        .toList();
  }

  /** Number of trusted keys. */
  public int size() {
    return byKeyId.size();
  }

  /** Collects trusted keys. */
  public static final class Builder {
    private final Map<ByteString, Authority> keys = new HashMap<>();

    /** Trusts {@code key} for authorizations of {@code country}. */
    public Builder add(String country, String name, VerifyingKey key) {
      keys.put(ByteString.copyFrom(Authorizations.keyId(key)), new Authority(country, name, key));
      return this;
    }

    /** The immutable list. */
    public HealthAuthorities build() {
      return new HealthAuthorities(keys);
    }
  }
}
