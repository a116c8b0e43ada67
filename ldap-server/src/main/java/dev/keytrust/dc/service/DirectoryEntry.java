package dev.keytrust.dc.service;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One entry as a {@link DirectoryView} returns it: its DN and the values of the attributes asked for.
 *
 * @param dn the entry's DN
 * @param values attribute name (lower case) to its raw values
 */
public record DirectoryEntry(String dn, Map<String, List<byte[]>> values) {
    public DirectoryEntry {
        values = Map.copyOf(values);
    }

    /** The attribute's first value as UTF-8 text, if it has one. */
    public Optional<String> string(String attribute) {
        return bytes(attribute).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** The attribute's first value as it is stored, if it has one. */
    public Optional<byte[]> bytes(String attribute) {
        List<byte[]> all = values.getOrDefault(attribute.toLowerCase(Locale.ROOT), List.of());
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0).clone());
    }

    /** All the attribute's values as UTF-8 text (none if it has none). */
    public List<String> strings(String attribute) {
        return values.getOrDefault(attribute.toLowerCase(Locale.ROOT), List.of()).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
