package org.fedtrace.crypto.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A PKCS#11 template: an array of {@code CK_ATTRIBUTE} in native memory, with the memory of its
 * values, kept alive as long as the template. Not thread-safe; one call at a time.
 */
final class Template {
  private final List<Long> types = new ArrayList<>();
  private final List<Memory> values = new ArrayList<>();
  private Cryptoki.Attribute[] array;

  /** Adds a {@code CK_ULONG} attribute. */
  Template add(long type, long value) {
    Memory m = new Memory(NativeLong.SIZE);
    m.setNativeLong(0, new NativeLong(value));
    return add(type, m);
  }

  /** Adds a {@code CK_BBOOL} attribute. */
  Template add(long type, boolean value) {
    Memory m = new Memory(1);
    m.setByte(0, (byte) (value ? 1 : 0));
    return add(type, m);
  }

  /** Adds a byte-array attribute. */
  Template add(long type, byte[] value) {
    Memory m = new Memory(Math.max(1, value.length));
    m.write(0, value, 0, value.length);
    types.add(type);
    values.add(value.length == 0 ? null : m);
    return this;
  }

  /** Adds a UTF-8 string attribute (CKA_LABEL). */
  Template add(long type, String value) {
    return add(type, value.getBytes(StandardCharsets.UTF_8));
  }

  private Template add(long type, Memory value) {
    types.add(type);
    values.add(value);
    return this;
  }

  /** The number of attributes. */
  NativeLong count() {
    return new NativeLong(types.size());
  }

  /** The address of the attribute array, written out for the next call. */
  Pointer pointer() {
    if (array == null) {
      array = (Cryptoki.Attribute[]) new Cryptoki.Attribute().toArray(types.size());
      for (int i = 0; i < array.length; i++) {
        Memory v = values.get(i);
        array[i].type = new NativeLong(types.get(i));
        array[i].value = v;
        array[i].valueLength = new NativeLong(v == null ? 0 : v.size());
        array[i].write();
      }
    }
    return array[0].getPointer();
  }
}
