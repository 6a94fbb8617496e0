package dev.rabbitworks.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The permission table of deploy/22-broker-users.yaml (permissions.txt): per user, the configure, write and read
 * regular expressions, read with the grammar the broker-users Job's script uses.
 */
final class PermissionTable {

    static final String CONFIG_MAP = "broker-users";
    static final String KEY = "permissions.txt";

    private static final Pattern ROW = Pattern.compile(
            "^\\s*([A-Za-z0-9_.-]+)\\s+'([^']*)'\\s+'([^']*)'\\s+'([^']*)'\\s*$");

    enum Access {
        CONFIGURE, WRITE, READ
    }

    /** One row: what RabbitMQ will check. */
    record Permissions(String user, String configure, String write, String read) {

        String regex(Access access) {
            return switch (access) {
                case CONFIGURE -> configure;
                case WRITE -> write;
                case READ -> read;
            };
        }

        /**
         * As the broker decides: the regex matched anywhere in the resource name (so the table anchors them), an
         * empty regex matching nothing.
         */
        boolean allows(Access access, String resource) {
            String regex = regex(access);
            return !regex.isEmpty() && Pattern.compile(regex).matcher(resource).find();
        }
    }

    private PermissionTable() {
    }

    /** The table as deploy/ holds it, by user (the logical name, e.g. producer). */
    static Map<String, Permissions> fromDeploy() {
        return parse(text());
    }

    static String text() {
        String text = Manifests.configMapData(CONFIG_MAP).get(KEY);
        if (text == null) {
            throw new AssertionError("ConfigMap " + CONFIG_MAP + " has no " + KEY);
        }
        return text;
    }

    static Map<String, Permissions> parse(String text) {
        Map<String, Permissions> table = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                throw new IllegalArgumentException("unreadable permission row: " + line);
            }
            Permissions permissions = new Permissions(row.group(1), row.group(2), row.group(3), row.group(4));
            if (table.put(permissions.user(), permissions) != null) {
                throw new IllegalArgumentException("user " + permissions.user() + " twice in the table");
            }
            for (Access access : Access.values()) {
                Pattern.compile(permissions.regex(access)); // fails on a broken regex
            }
        }
        return table;
    }
}
