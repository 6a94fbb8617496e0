package dev.rabbitworks.subscriber.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/** A comma-separated list of binding keys that the exchange of {@link #value()} takes as meant (see BindingKeySyntax). */
@Documented
@Constraint(validatedBy = BindingKeysValidator.class)
@Target({ ElementType.METHOD, ElementType.FIELD, ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface BindingKeys {

    enum Kind {
        /** Exact keys: {@code *} and {@code #} are plain characters to a direct exchange. */
        DIRECT,
        /** Patterns: words separated by dots, {@code *} and {@code #} standing alone as a word. */
        TOPIC
    }

    Kind value();

    String message() default "invalid binding keys";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
