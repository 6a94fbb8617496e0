package dev.rabbitworks.producer.validation;

import java.util.regex.Pattern;

/**
 * RPC procedure names are checked for form only ({@code [a-z][a-z0-9-]{0,63}}); which procedures exist
 * is the rpc-service's to say (it answers 404).
 */
public final class ProcedureNames {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    private ProcedureNames() {
    }

    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInput("the procedure name is empty");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidInput("invalid procedure name: expected a lower-case letter followed by up to 63"
                    + " lower-case letters, digits or '-'");
        }
        return name;
    }
}
