package io.teamsconnector.support;

import io.teamsconnector.experts.WidgetScript;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;

/**
 * Test only: serves the widget's host page ({@code src/test/resources/widget-test}), which stands in for the Webex
 * Desktop, at {@code /widget/test/*}. The widget journey loads it from {@code 127.0.0.1}, another origin than the
 * connector's {@code localhost}.
 */
@ApplicationScoped
public class WidgetTestHost {

    private static final Map<String, String> FILES = Map.of(
            "host.html", "text/html; charset=utf-8",
            "host.js", "text/javascript; charset=utf-8");

    void register(@Observes Router router) {
        FILES.forEach((file, type) -> {
            Buffer body = Buffer.buffer(WidgetScript.read("widget-test/" + file));
            router.get("/widget/test/" + file).handler(context -> context.response()
                    .putHeader("Content-Type", type).end(body));
        });
    }
}
