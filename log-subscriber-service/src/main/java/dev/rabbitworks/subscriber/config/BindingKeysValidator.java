package dev.rabbitworks.subscriber.config;

import java.util.List;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Reports every bad key of a {@link BindingKeys} list, each as its own violation that names the key. */
public class BindingKeysValidator implements ConstraintValidator<BindingKeys, String> {

    private BindingKeys.Kind kind;

    @Override
    public void initialize(BindingKeys annotation) {
        kind = annotation.value();
    }

    @Override
    public boolean isValid(String keys, ConstraintValidatorContext context) {
        if (keys == null) {
            return true;
        }
        List<String> problems = BindingKeySyntax.problems(kind, keys);
        if (problems.isEmpty()) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        for (String problem : problems) {
            context.buildConstraintViolationWithTemplate(literal(problem)).addConstraintViolation();
        }
        return false;
    }

    /** A message template that shows {@code text} as it is: a key may hold {, } or $, which templates interpret. */
    private static String literal(String text) {
        return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
