package dev.keytrust.graph;

import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParseNode;
import com.microsoft.kiota.serialization.SerializationWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The beta user properties the connector reads ({@code deviceKeys} is beta-only), parsed by the v1.0 SDK's
 * serialisation so one SDK serves both endpoints.
 */
final class BetaUser implements Parsable {
    /** One beta {@code deviceKeys} item. */
    static final class DeviceKeyItem implements Parsable {
        String deviceId;
        String keyMaterial;
        String keyType;

        static DeviceKeyItem create(ParseNode node) {
            return new DeviceKeyItem();
        }

        @Override
        public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
            Map<String, Consumer<ParseNode>> m = new HashMap<>();
            m.put("deviceId", n -> deviceId = n.getStringValue());
            m.put("keyMaterial", n -> keyMaterial = n.getStringValue());
            m.put("keyType", n -> keyType = n.getStringValue());
            return m;
        }

        @Override
        public void serialize(SerializationWriter writer) {
            writer.writeStringValue("deviceId", deviceId);
            writer.writeStringValue("keyMaterial", keyMaterial);
            writer.writeStringValue("keyType", keyType);
        }
    }

    /** {@code @removed} on a delta item. */
    static final class Removed implements Parsable {
        String reason;

        static Removed create(ParseNode node) {
            return new Removed();
        }

        @Override
        public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
            return Map.of("reason", n -> reason = n.getStringValue());
        }

        @Override
        public void serialize(SerializationWriter writer) {
            writer.writeStringValue("reason", reason);
        }
    }

    String id;
    String userPrincipalName;
    String onPremisesImmutableId;
    String onPremisesSecurityIdentifier;
    List<DeviceKeyItem> deviceKeys;
    Removed removed;

    static BetaUser create(ParseNode node) {
        return new BetaUser();
    }

    @Override
    public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
        Map<String, Consumer<ParseNode>> m = new HashMap<>();
        m.put("id", n -> id = n.getStringValue());
        m.put("userPrincipalName", n -> userPrincipalName = n.getStringValue());
        m.put("onPremisesImmutableId", n -> onPremisesImmutableId = n.getStringValue());
        m.put("onPremisesSecurityIdentifier", n -> onPremisesSecurityIdentifier = n.getStringValue());
        m.put("deviceKeys", n -> deviceKeys = n.getCollectionOfObjectValues(DeviceKeyItem::create));
        m.put("@removed", n -> removed = n.getObjectValue(Removed::create));
        return m;
    }

    @Override
    public void serialize(SerializationWriter writer) {
        writer.writeStringValue("id", id);
        writer.writeStringValue("userPrincipalName", userPrincipalName);
    }

    /** A page of beta users, from {@code /users} or {@code /users/delta()}. */
    static final class Page implements Parsable {
        List<BetaUser> value;
        String nextLink;
        String deltaLink;

        static Page create(ParseNode node) {
            return new Page();
        }

        @Override
        public Map<String, Consumer<ParseNode>> getFieldDeserializers() {
            Map<String, Consumer<ParseNode>> m = new HashMap<>();
            m.put("value", n -> value = n.getCollectionOfObjectValues(BetaUser::create));
            m.put("@odata.nextLink", n -> nextLink = n.getStringValue());
            m.put("@odata.deltaLink", n -> deltaLink = n.getStringValue());
            return m;
        }

        @Override
        public void serialize(SerializationWriter writer) {
            writer.writeStringValue("@odata.nextLink", nextLink);
        }
    }
}
