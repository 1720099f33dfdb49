package org.appmetrica.loader.admin;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A resource method (or every method of a resource class) that answers without a login: the login page, its static
 * files, login and logout. Everything else needs a user ({@link LoginRequired}), so a new resource is protected
 * without anyone remembering to protect it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Public {
}
