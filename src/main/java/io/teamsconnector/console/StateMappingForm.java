package io.teamsconnector.console;

import io.teamsconnector.domain.ConnectorRules;
import io.teamsconnector.domain.DomainException;
import io.teamsconnector.domain.TeamsStates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The state-mapping form: one row per Teams state, "Do not disturb", "In a call" and "Presenting" first, then the
 * other states already mapped, then one row to map any other availability or activity. Pure Java.
 */
final class StateMappingForm {

    /** The rows every mapping shows, in this order. */
    static final List<String> USUAL = List.of("DoNotDisturb", "InACall", "Presenting");

    private StateMappingForm() {
    }

    /** One row: the Teams state, how people read it, and its idle code ("" when unmapped). */
    record Row(String state, String label, String code) {
    }

    static List<Row> rows(Map<String, String> mapping) {
        List<Row> rows = new ArrayList<>();
        USUAL.forEach(state -> rows.add(new Row(state, label(state), mapping.getOrDefault(state, ""))));
        new TreeSet<>(mapping.keySet()).stream().filter(state -> !USUAL.contains(state))
                .forEach(state -> rows.add(new Row(state, label(state), mapping.get(state))));
        return rows;
    }

    /** The Teams states not shown in a row yet: the choices of the "another Teams state" row. */
    static List<String> others(Map<String, String> mapping) {
        TreeSet<String> all = new TreeSet<>(TeamsStates.AVAILABILITIES);
        all.addAll(TeamsStates.ACTIVITIES);
        all.removeAll(USUAL);
        all.removeAll(mapping.keySet());
        return List.copyOf(all);
    }

    /** The mapping a submitted form means: pairs of state and idle code; rows without a code are left out. */
    static Map<String, String> read(List<String> states, List<String> codes) {
        List<String> s = states == null ? List.of() : states;
        List<String> c = codes == null ? List.of() : codes;
        if (s.size() != c.size()) {
            throw DomainException.invalid("Every Teams state row needs its idle code field.");
        }
        Map<String, String> mapping = new LinkedHashMap<>();
        for (int i = 0; i < s.size(); i++) {
            String state = s.get(i) == null ? "" : s.get(i).trim();
            String code = c.get(i) == null ? "" : c.get(i).trim();
            if (!state.isEmpty() && !code.isEmpty()) {
                mapping.put(state, code);
            }
        }
        ConnectorRules.requireValidMapping(mapping);
        return mapping;
    }

    /** "DoNotDisturb" reads "Do not disturb", "InAConferenceCall" "In a conference call". */
    static String label(String state) {
        String[] words = state.split("(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])");
        StringBuilder out = new StringBuilder();
        for (String word : words) {
            out.append(out.isEmpty() ? word : " " + word.toLowerCase());
        }
        return out.toString();
    }
}
