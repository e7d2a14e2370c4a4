package io.teamsconnector.support;

import static io.restassured.RestAssured.given;

/** Reads values from {@code GET /q/metrics} (Prometheus text). */
public final class Metrics {

    private Metrics() {
    }

    /** The sum of every sample of {@code name} whose labels contain each of {@code labels} ({@code key="value"}). */
    public static double value(String name, String... labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) {
                continue;
            }
            boolean matches = true;
            for (String label : labels) {
                matches &= line.contains(label);
            }
            if (matches) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
