package io.teamsconnector.consent;

import jakarta.ws.rs.core.Response;

/** The small HTML pages of the consent flow. Every value shown is HTML-escaped. */
final class ConsentPages {

    private ConsentPages() {
    }

    static Response page(int status, String title, String text) {
        String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + escape(title) + "</title></head>\n<body><h1>" + escape(title) + "</h1>\n<p>"
                + escape(text) + "</p></body></html>\n";
        return Response.status(status).type("text/html; charset=utf-8")
                .header("Cache-Control", "no-store")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'")
                .entity(html).build();
    }

    static Response refused(String reason) {
        return page(400, "Teams Connector: not connected", reason);
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
