package io.teamsconnector.support;

import io.quarkus.runtime.annotations.RegisterForReflection;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a native image must have registered before Jackson can bind a type outside REST endpoints (those
 * Quarkus registers itself): the type and every project type its record components or fields reach.
 */
public final class NativeReflection {

    private static final String PROJECT = "io.teamsconnector.";

    private NativeReflection() {
    }

    /** The project types reached from {@code roots} that do not carry a bare {@code @RegisterForReflection}. */
    public static List<Class<?>> unregistered(Class<?>... roots) {
        List<Class<?>> missing = new ArrayList<>();
        for (Class<?> type : reached(roots)) {
            RegisterForReflection registration = type.getAnnotation(RegisterForReflection.class);
            // with targets or classNames the annotation registers those classes, not the one it sits on
            if (registration == null || registration.targets().length > 0 || registration.classNames().length > 0) {
                missing.add(type);
            }
        }
        return missing;
    }

    /** The roots and the project types their record components or instance fields reach, recursively. */
    public static Set<Class<?>> reached(Class<?>... roots) {
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (Class<?> root : roots) {
            walk(root, seen);
        }
        return seen;
    }

    private static void walk(Type type, Set<Class<?>> seen) {
        if (type instanceof ParameterizedType parameterized) {
            walk(parameterized.getRawType(), seen);
            for (Type argument : parameterized.getActualTypeArguments()) {
                walk(argument, seen);
            }
        } else if (type instanceof GenericArrayType array) {
            walk(array.getGenericComponentType(), seen);
        } else if (type instanceof Class<?> c) {
            if (c.isArray()) {
                walk(c.getComponentType(), seen);
            } else if (c.getName().startsWith(PROJECT) && seen.add(c)) {
                members(c, seen);
            }
        }
    }

    private static void members(Class<?> c, Set<Class<?>> seen) {
        if (c.isRecord()) {
            for (RecordComponent component : c.getRecordComponents()) {
                walk(component.getGenericType(), seen);
            }
        } else if (!c.isEnum()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    walk(field.getGenericType(), seen);
                }
            }
        }
    }
}
