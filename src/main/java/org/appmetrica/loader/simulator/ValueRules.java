package org.appmetrica.loader.simulator;

import static org.appmetrica.loader.simulator.Mix.below;
import static org.appmetrica.loader.simulator.Mix.mix;
import static org.appmetrica.loader.simulator.Mix.percent;

import org.appmetrica.loader.schema.ColumnType;
import org.appmetrica.loader.schema.FieldSpec;
import org.appmetrica.loader.simulator.FieldGen.Gen;

import java.time.LocalDate;
import java.util.Set;

/**
 * Value rules by field meaning. The field list itself always comes from the catalogue; this class only knows how a
 * field with a given name and column type looks. Every value is valid for its {@link ColumnType}; strings are
 * deliberately nasty (unicode, commas, quotes, backslashes, tabs, line breaks, JSON text).
 */
final class ValueRules {

    /** Share (percent) of empty values of optional string fields. */
    static final int EMPTY_STRING_PCT = 10;
    /** Share (percent) of empty values of optional typed (non-string) fields. */
    static final int EMPTY_TYPED_PCT = 5;

    static final String MAX_UINT64 = "18446744073709551615";

    /** Fields whose draw is the session's (see {@link SimRow}): network, place and the session itself. */
    static final Set<String> SESSION_FIELDS = Set.of("session_id", "device_ipv6", "connection_type", "mnc",
            "operator_name", "city", "country_iso_code", "mcc", "device_type");

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

    private static final long S_PLATFORM = Mix.hash("#platform");
    private static final long S_MODEL = Mix.hash("#model");
    private static final long S_OSVER = Mix.hash("#osver");
    private static final long S_ID = Mix.hash("#id");
    private static final long S_AID = Mix.hash("#aid");
    private static final long S_AID2 = Mix.hash("#aid2");
    private static final long S_IFV = Mix.hash("#ifv");
    private static final long S_LOCALE = Mix.hash("#locale");
    private static final long S_APPVER = Mix.hash("#appver");
    private static final long S_BUILD = Mix.hash("#build");
    private static final long S_SDK = Mix.hash("#sdk");
    private static final long S_FRAMEWORK = Mix.hash("#framework");
    private static final long S_PROFILE = Mix.hash("#profile");
    private static final long S_INSTALLATION = Mix.hash("#installation");
    private static final long S_PUBLISHER = Mix.hash("#publisher");
    private static final long S_ANDROID_ID = Mix.hash("#android_id");
    private static final long S_LAST_START = Mix.hash("#last_start");
    private static final long S_FIRST_SESSION = Mix.hash("#first_session");

    // ---------------------------------------------------------------- tables

    static final int ANDROID = 0;
    static final int IOS = 1;
    static final int WINDOWS = 2;
    static final String[] OS_NAMES = {"android", "ios", "windows"};

    /** manufacturer, model, original model, device type. */
    private static final String[][][] MODELS = {
        { // android
            {"Samsung", "Galaxy S8", "SM-G9550", "phone"},
            {"Samsung", "Galaxy A52", "SM-A525F", "phone"},
            {"Samsung", "Galaxy Tab S7", "SM-T870", "tablet"},
            {"Xiaomi", "Redmi Note 8 Pro", "M1906G7G", "phone"},
            {"Xiaomi", "Mi 9 SE, Global", "M1903F2G", "phone"},
            {"Huawei", "P30 Pro", "VOG-L29", "phone"},
            {"HONOR", "HONOR 50", "NTH-NX9", "phone"},
            {"Google", "Pixel 7", "GVU6C", "phone"},
            {"Realme", "realme C25", "RMX3191", "phone"},
            {"OnePlus", "OnePlus 9 Pro", "LE2123", "phone"},
            {"Lenovo", "Tab M10 \"HD\"", "TB-X306X", "tablet"},
        },
        { // ios
            {"Apple", "iPhone X", "iPhone10,3", "phone"},
            {"Apple", "iPhone 13 Pro", "iPhone14,2", "phone"},
            {"Apple", "iPhone SE (2nd generation)", "iPhone12,8", "phone"},
            {"Apple", "iPhone 15 Pro Max", "iPhone16,2", "phone"},
            {"Apple", "iPad Pro 11\" (3rd generation)", "iPad13,4", "tablet"},
            {"Apple", "iPad mini", "iPad14,1", "tablet"},
        },
        { // windows
            {"Microsoft", "Lumia 950", "RM-1104", "phone"},
            {"Nokia", "Lumia 630", "RM-976", "phone"},
        },
    };
    private static final String[][] OS_VERSIONS = {
        {"8.1.0", "9", "10", "11", "12", "13", "14", "15"},
        {"12.2", "14.8.1", "15.7", "16.6.1", "17.2", "17.5.1", "18.0"},
        {"10.0.14393", "8.1"},
    };

    /** city, country_iso_code, mcc, then operator names. */
    private static final String[][] LOCATIONS = {
        {"Moscow", "RU", "250", "MTS", "Beeline", "MegaFon", "Tele2", "Yota"},
        {"Москва", "RU", "250", "МТС", "Билайн", "MegaFon"},
        {"Saint Petersburg", "RU", "250", "Tele2", "MTS", "MegaFon"},
        {"Nizhny Novgorod", "RU", "250", "MTS", "Beeline"},
        {"Rostov-on-Don", "RU", "250", "Tele2", "Beeline"},
        {"Kazan", "RU", "250", "MegaFon", "MTS RUS"},
        {"Yekaterinburg", "RU", "250", "Motiv", "MTS"},
        {"São Paulo", "BR", "724", "Vivo", "Claro BR", "TIM"},
        {"Zürich", "CH", "228", "Swisscom", "Salt."},
        {"Kraków", "PL", "260", "Orange Polska", "Play"},
        {"北京", "CN", "460", "China Mobile", "中国联通"},
        {"Almaty", "KZ", "401", "Kcell", "Beeline KZ"},
        {"Washington, D.C.", "US", "310", "T-Mobile", "AT&T", "Verizon Wireless"},
        {"N'Djamena", "TD", "622", "Airtel Tchad"},
        {"Minsk", "BY", "257", "A1", "МТС BY"},
        {"Tel Aviv-Yafo", "IL", "425", "Partner", "Cellcom"},
        {"Ho Chi Minh City", "VN", "452", "Viettel", "Mobifone"},
    };
    private static final String[] LOCALES = {
        "ru_RU", "ru_RU", "ru_RU", "en_US", "en_GB", "pt_BR", "de_CH", "zh_Hans_CN", "kk_KZ", "be_BY", "he_IL",
        "vi_VN", "ru",
    };
    private static final String[] APP_VERSIONS = {
        "1.0.0", "1.2.3", "2.0.0-beta+exp.sha.5114f85", "3.14 (build 159)", "10.0", "2.1.0, hotfix", "4.5.6",
    };
    private static final String[] SDK_VERSIONS = {"3001000", "3021000", "4000000", "5003000", "6005001", "7002000"};
    private static final String[] EVENT_NAMES = {
        "app_open", "purchase", "level_up 🎉", "Нажатие на кнопку «Купить»", "screen,view", "quote\"d", "tab\tname",
        "back\\slash", "session_start", "Экран: Главная", "add_to_cart", "tutorial_complete", "ad_click", "\\N",
        "very_long_event_name_with_many_parts_that_goes_on_and_on_for_a_while_to_test_column_widths",
    };
    private static final String[] NASTY = {
        "alpha", "Привет, мир", "quote \"inside\"", "back\\slash", "tab\tseparated", "emoji 😀", "semi;colon",
        "  leading and trailing  ", "日本語テキスト", "comma,separated,values", "'single'", "NULL", "\\N", "0", "-",
        "São Paulo", "line\nbreak",
    };
    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; U; Android 9; ru-ru; Redmi Note 8 Pro Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/71.0.3578.141 Mobile Safari/537.36 XiaoMi/MiuiBrowser/12.1.3-g",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
        "Mozilla/5.0 (Linux; Android 12; M2101K6G Build/SKQ1.210908.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/118.0.5993.111 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/439.0.0.44.117;]",
        "YandexBot/3.0 (compatible; +http://yandex.com/bots) \"quoted\"",
        "curl/8.4.0",
    };
    /** publisher_id, publisher_name. */
    private static final String[][] PUBLISHERS = {
        {"1", "Yandex.Direct"}, {"3", "Google Ads"}, {"21", "VK Реклама"}, {"42", "Facebook, Inc."},
        {"100500", "Partner \"Best\" Network"}, {"0", ""},
    };
    private static final String[] TRACKERS = {
        "Summer campaign 2024", "Летняя кампания", "Tracker \"A\", v2", "retargeting\tq3", "default",
    };
    private static final String[] CAMPAIGNS = {
        "summer", "%D0%BB%D0%B5%D1%82%D0%BE", "sale,2024", "a%22b", "black friday", "новогодняя",
    };
    private static final String[] CRASH_NAMES = {
        "java.lang.NullPointerException", "EXC_BAD_ACCESS (SIGSEGV)", "kotlin.UninitializedPropertyAccessException",
        "SIGABRT", "Ошибка инициализации", "OutOfMemoryError: Failed to allocate a 65552 byte allocation, 3MB until OOM",
    };
    private static final String[] ERROR_NAMES = {
        "NetworkError", "Ошибка сети", "JSON parse error: unexpected \"}\"", "timeout, retrying", "IOException",
    };
    private static final String[] RESPONSE_BODIES = {
        "OK", "{\"status\":\"ok\",\"id\":123}", "<html>\n<head><title>502 Bad Gateway</title></head>\n</html>",
        "Ошибка: неверный токен", "error, retry later", "",
    };
    private static final String[] RESPONSE_CODES = {"200", "200", "200", "200", "204", "302", "400", "404", "500", "502", "0"};
    private static final String[] CURRENCIES = {"RUB", "RUB", "USD", "EUR", "KZT", "BYN", "BRL"};
    private static final String[] PRODUCT_IDS = {
        "com.example.coins_100", "premium.monthly", "gems pack, large", "набор_монет", "sku\"quoted\"",
    };
    private static final String[] REVENUE_EVENT_TYPES = {
        "one_time_purchase", "trial_subscription_started", "intro_subscription_started", "promo_subscription_started",
        "subscription_converted", "subscription_started", "subscription_renewed", "subscription_cancelled",
        "subscription_uncancelled", "subscription_expired", "subscription_billing_issues", "refund", "unknown",
    };
    private static final String[] AD_NETWORKS = {
        "AdMob", "Yandex Mobile Ads", "AppLovin, Inc.", "ironSource", "Unity Ads", "myTarget",
    };
    private static final String[] PLACEMENT_IDS = {"ca-app-pub-3940256099942544/6300978111", "R-M-123456-7", "placement_1"};
    private static final String[] PLACEMENT_NAMES = {"main_banner", "Главный экран", "rewarded \"x2\" coins", "level, end"};
    private static final String[] ECOM_TYPES = {
        "show_screen", "show_product_card", "show_product_details", "add_cart_item", "remove_cart_item",
        "begin_checkout", "purchase",
    };
    private static final String[] SCREEN_NAMES = {"Главная", "Product list", "cart, step 2", "Search \"shoes\"", "Профиль"};
    private static final String[] SEARCH_QUERIES = {"кроссовки", "iphone 15", "shoes, red", "\"quoted\" query", "café"};
    private static final String[] PRODUCT_NAMES = {
        "Кроссовки \"Air\", 42 размер", "iPhone 15 Pro 256GB", "Café au lait ☕", "Tab\there", "Back\\slash bag",
    };
    private static final String[] CATEGORIES = {
        "Одежда", "Обувь", "Shoes, sneakers", "Electronics", "Смартфоны", "Kids \"0-3\"", "Sale", "Новинки",
    };
    private static final String[] SKUS = {"SKU-12345", "1234567890123", "арт. 42", "18446744073709551615"};
    private static final String[] DEEPLINK_SCHEMES = {"https", "myapp", "yandexapp", "fb123456789"};
    private static final String[] DEEPLINK_HOSTS = {"example.com", "shop.example.ru", "пример.рф", "deeplink"};
    private static final String[] DEEPLINK_PATHS = {"/product/123", "/каталог/обувь", "/", "/a/b/c,d", "/search"};
    private static final String[] DEEPLINK_PARAMS = {
        "ref=push&id=42", "utm_source=email&utm_campaign=%22sale%22", "q=a,b&x=\"y\"", "lang=ru&text=привет",
    };
    private static final String[] NAMES = {"Иван Петров", "José \"Pepe\" García", "李雷", "O'Brien, Pat", "Anna"};
    private static final String[] COUNTRIES = {"Russia", "Россия", "Brazil", "Côte d'Ivoire", "Korea, Republic of"};
    private static final String[] DISTRICTS = {"Central Federal District", "Приволжский федеральный округ", "São Paulo"};
    private static final String[] COST_MODELS = {"cpi", "cpa", "cpr"};
    private static final String[] AD_TYPES = {"native", "banner", "rewarded", "interstitial", "mrec", "other"};
    private static final String[] AD_PRECISIONS = {"publisher_defined", "estimated", "precise", "undefined"};
    private static final String[] REFERRER_TYPES = {"button", "banner", "search", "push"};
    private static final String[] CERTIFICATE_STATUSES = {"verified", "not_verified", "unknown"};
    private static final String[] EVENT_SOURCES = {"sdk", "import_api", "js", "system"};
    private static final String[] AREAS = {"Moscow Oblast", "Московская область", "Île-de-France"};

    private ValueRules() {
    }

    // ---------------------------------------------------------------- dispatch

    static Gen generator(SourceInfo src, FieldSpec f) {
        String n = f.name();
        ColumnType type = f.column();
        if (type == ColumnType.DATETIME || "timestamp".equals(f.kind())) {
            return moment(src, n, type == ColumnType.DATETIME);
        }
        switch (n) {
            case "application_id":
                return (row, r) -> row.appText;
            case "appmetrica_device_id":
                return (row, r) -> deviceId(row);
            // ---- device facts (stable per device)
            case "os_name":
                return (row, r) -> OS_NAMES[platform(row)];
            case "os_version":
                return (row, r) -> pick(OS_VERSIONS[platform(row)], mix(row.device() ^ S_OSVER));
            case "device_manufacturer":
                return (row, r) -> model(row)[0];
            case "device_model":
                return (row, r) -> model(row)[1];
            case "original_device_model":
                return (row, r) -> model(row)[2];
            case "device_type":
                return (row, r) -> percent(r) < 2 ? "unknown" : model(row)[3];
            case "device_locale":
                return (row, r) -> {
                    long d = mix(row.device() ^ S_LOCALE);
                    return percent(d) < 3 ? "" : pick(LOCALES, d);
                };
            case "google_aid":
                return (row, r) -> platform(row) == ANDROID && percent(mix(row.device() ^ S_AID)) < 80
                        ? uuid(row.device(), S_AID, false) : "";
            case "oaid":
                return (row, r) -> platform(row) == ANDROID && model(row)[0].startsWith("H")
                        ? uuid(row.device(), S_AID2, false) : "";
            case "ios_ifa":
                return (row, r) -> {
                    if (platform(row) != IOS) {
                        return "";
                    }
                    int p = percent(mix(row.device() ^ S_AID));
                    return p < 60 ? uuid(row.device(), S_AID, true)
                            : p < 85 ? "00000000-0000-0000-0000-000000000000" : "";
                };
            case "ios_ifv":
                return (row, r) -> platform(row) == IOS ? uuid(row.device(), S_IFV, true) : "";
            case "windows_aid":
                return (row, r) -> platform(row) == WINDOWS ? uuid(row.device(), S_AID, false) : "";
            case "android_id":
                return (row, r) -> platform(row) == ANDROID ? hex(mix(row.device() ^ S_ANDROID_ID), 16) : "";
            case "installation_id":
                return (row, r) -> hex(mix(row.device() ^ S_INSTALLATION), 16)
                        + hex(mix(row.device() ^ S_INSTALLATION ^ 1), 16);
            case "app_package_name":
                return (row, r) -> platform(row) == IOS ? "ru.simulated.App" + row.appText
                        : "ru.simulated.app" + row.appText;
            case "app_version_name":
                return (row, r) -> pick(APP_VERSIONS, mix(row.device() ^ S_APPVER));
            case "app_build_number":
                return opt(EMPTY_TYPED_PCT, (row, r) ->
                        Integer.toString(100 + below(mix(row.device() ^ S_BUILD), 900)));
            case "appmetrica_sdk_version":
                return opt(EMPTY_TYPED_PCT, (row, r) -> pick(SDK_VERSIONS, mix(row.device() ^ S_SDK)));
            case "app_framework":
                return opt(EMPTY_TYPED_PCT, (row, r) -> {
                    long d = mix(row.device() ^ S_FRAMEWORK);
                    return percent(d) < 70 ? "0" : Integer.toString(1 + below(d, 4));
                });
            case "profile_id":
                return (row, r) -> profileId(row);
            // ---- location and network (per row)
            case "city":
                return opt(EMPTY_STRING_PCT, (row, r) -> location(row)[0]);
            case "country_iso_code":
                return opt(EMPTY_STRING_PCT, (row, r) -> location(row)[1]);
            case "mcc":
                return opt(EMPTY_TYPED_PCT, (row, r) -> location(row)[2]);
            case "mnc":
                return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(1 + below(r, 99)));
            case "operator_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> {
                    String[] loc = location(row);
                    return loc[3 + below(r, loc.length - 3)];
                });
            case "connection_type":
                return (row, r) -> {
                    int p = percent(r);
                    return p < 55 ? "wifi" : p < 95 ? "cell" : "unknown";
                };
            // ---- events, sessions
            case "event_name":
                return (row, r) -> pick(EVENT_NAMES, r);
            case "session_id":
                return opt(EMPTY_TYPED_PCT, (row, r) -> percent(r) < 60
                        ? Long.toString(10_000_000_000L + Mix.belowLong(mix(r), 100_000L))
                        : Long.toUnsignedString(mix(r)));
            // ---- attribution
            case "click_id":
                return (row, r) -> percent(r) < 15 ? "" : hex(mix(r), 16);
            case "click_user_agent":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(USER_AGENTS, r));
            case "click_url_parameters":
                return opt(EMPTY_STRING_PCT, (row, r) -> "utm_source=" + publisher(row)[1].replace(' ', '+')
                        + "&utm_campaign=" + pick(CAMPAIGNS, r) + "&click_id=" + hex(mix(r), 12));
            case "publisher_id":
                return opt(EMPTY_TYPED_PCT, (row, r) -> publisher(row)[0]);
            case "publisher_name":
                return (row, r) -> publisher(row)[1];
            case "tracker_name":
                return (row, r) -> "0".equals(publisher(row)[0]) ? "" : pick(TRACKERS, r);
            case "tracking_id":
                return opt(EMPTY_TYPED_PCT, (row, r) -> {
                    if ("0".equals(publisher(row)[0])) {
                        return "0";
                    }
                    return percent(r) < 5 ? "12345678901234567890" : Long.toUnsignedString(mix(r));
                });
            case "touch_type":
            case "attributed_touch_type":
                return (row, r) -> {
                    int p = percent(r);
                    return p < 70 ? "click" : p < 95 ? "impression" : "unknown";
                };
            case "match_type":
                return (row, r) -> {
                    int p = percent(r);
                    return p < 45 ? "fingerprint" : p < 75 ? "referrer" : p < 90 ? "identifier" : "";
                };
            case "is_bot":
                return bool(5);
            case "is_reinstallation":
                return bool(15);
            case "is_reattribution":
                return bool(10);
            case "cost_model":
                return (row, r) -> pick(COST_MODELS, r);
            case "notifying_status":
                return (row, r) -> percent(r) < 85 ? "sent" : "failed";
            case "postback_url":
                return opt(EMPTY_STRING_PCT, (row, r) -> "https://postback.example.com/track?app=" + row.appText
                        + "&click_id=" + hex(mix(r), 12) + "&event=" + pick(CAMPAIGNS, r));
            case "postback_url_parameters":
                return opt(EMPTY_STRING_PCT, (row, r) -> "click_id=" + hex(mix(r), 12) + "&event="
                        + pick(CAMPAIGNS, r));
            case "response_body":
                return (row, r) -> pick(RESPONSE_BODIES, r);
            case "response_code":
                return opt(EMPTY_TYPED_PCT, (row, r) -> pick(RESPONSE_CODES, r));
            case "identifier":
                return (row, r) -> "";
            // ---- deeplinks
            case "deeplink_url_scheme":
                return (row, r) -> pick(DEEPLINK_SCHEMES, r);
            case "deeplink_url_host":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(DEEPLINK_HOSTS, r));
            case "deeplink_url_path":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(DEEPLINK_PATHS, r));
            case "deeplink_url_parameters":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(DEEPLINK_PARAMS, r));
            // ---- push tokens
            case "token":
                return (row, r) -> pushToken(row, r);
            // ---- crashes and errors
            case "crash":
            case "error":
                return (row, r) -> stackTrace(row, r);
            case "crash_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(CRASH_NAMES, r));
            case "error_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(ERROR_NAMES, r));
            case "error_id":
                return opt(EMPTY_STRING_PCT, (row, r) -> Long.toUnsignedString(mix(r)));
            // ---- revenue
            case "revenue_quantity":
                return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(percent(r) < 3 ? 0 : 1 + below(r, 10)));
            case "revenue_price":
                return opt(EMPTY_STRING_PCT, (row, r) -> decimal(r, percent(mix(r)) < 5));
            case "revenue_product_id":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(PRODUCT_IDS, r));
            case "revenue_order_id":
                return opt(EMPTY_STRING_PCT, (row, r) -> percent(r) < 50
                        ? "GPA." + (1000 + below(r, 9000)) + "-" + (1000 + below(mix(r), 9000)) + "-"
                          + Mix.belowLong(mix(r ^ 7), 100_000L)
                        : uuid(r, 3, true));
            case "revenue_order_id_source":
                return (row, r) -> percent(r) < 70 ? "autogenerated" : "user_defined";
            case "is_revenue_verified":
            case "is_revenue_autocollected":
                return (row, r) -> {
                    int p = percent(r);
                    return p < 60 ? "true" : p < 85 ? "false" : "undefined";
                };
            case "revenue_inapp_type":
                return (row, r) -> percent(r) < 60 ? "one_time_purchase" : "subscription";
            case "revenue_event_type":
                return (row, r) -> pick(REVENUE_EVENT_TYPES, r);
            // ---- ad revenue
            case "ad_revenue":
                return opt(EMPTY_STRING_PCT, (row, r) -> {
                    String nanos = Long.toString(1_000_000_000L + Mix.belowLong(r, 50_000_000L));
                    return "0." + nanos.substring(1);
                });
            case "ad_revenue_type":
                return (row, r) -> pick(AD_TYPES, r);
            case "ad_revenue_data_source":
                return (row, r) -> percent(r) < 80 ? "autocollected" : "manual";
            case "ad_revenue_network":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(AD_NETWORKS, r));
            case "ad_revenue_placement_id":
            case "ad_revenue_unit_id":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(PLACEMENT_IDS, r));
            case "ad_revenue_placement_name":
            case "ad_revenue_unit_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(PLACEMENT_NAMES, r));
            case "ad_revenue_precision":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(AD_PRECISIONS, r));
            // ---- e-commerce
            case "ecom_type":
                return (row, r) -> pick(ECOM_TYPES, r);
            case "ecom_screen_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(SCREEN_NAMES, r));
            case "ecom_screen_search_query":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(SEARCH_QUERIES, r));
            case "ecom_product_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(PRODUCT_NAMES, r));
            case "ecom_product_sku":
            case "ecom_referrer_id":
            case "ecom_order_id":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(SKUS, r));
            case "ecom_product_promocodes":
                return opt(EMPTY_STRING_PCT, (row, r) -> percent(r) < 50 ? "[\"SALE10\",\"ЛЕТО,2024\"]"
                        : "[\"" + hex(mix(r), 6).toUpperCase() + "\"]");
            case "ecom_referrer_type":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(REFERRER_TYPES, r));
            case "ecom_cart_item_quantity":
                return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(1 + below(r, 5)));
            case "certificate_verification_status":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(CERTIFICATE_STATUSES, r));
            case "country":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(COUNTRIES, r));
            case "district":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(DISTRICTS, r));
            case "area":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(AREAS, r));
            case "event_source":
                return (row, r) -> pick(EVENT_SOURCES, r);
            // ---- profiles
            case "appmetrica_gender":
                return (row, r) -> {
                    int p = percent(r);
                    return p < 45 ? "M" : p < 90 ? "F" : "";
                };
            case "appmetrica_birth_date":
                return opt(EMPTY_STRING_PCT, (row, r) -> Integer.toString(14 + below(r, 60)));
            case "appmetrica_name":
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(NAMES, r));
            case "appmetrica_notifications_enabled":
                return bool(70);
            case "appmetrica_first_session_date":
                return opt(EMPTY_TYPED_PCT, (row, r) -> LocalDateText.of(lastStartDay(row)
                        - Mix.below(row.draw(S_FIRST_SESSION), 900)));
            case "appmetrica_last_start_date":
                return opt(EMPTY_TYPED_PCT, (row, r) -> LocalDateText.of(lastStartDay(row)));
            case "appmetrica_sessions":
                return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(1 + below(r, 1000)));
            default:
                break;
        }
        return byPattern(n, type);
    }

    private static Gen byPattern(String n, ColumnType type) {
        if (n.endsWith("_json") || n.endsWith("_payload")) {
            return opt(EMPTY_STRING_PCT, (row, r) -> jsonText(r));
        }
        if (n.endsWith("_internal_components")) {
            return opt(EMPTY_STRING_PCT, (row, r) -> "[{\"amount\":\"" + (1 + below(r, 100))
                    + "\",\"unit\":\"wood\"},{\"amount\":\"5\",\"unit\":\"железо, кг\"}]");
        }
        if (n.endsWith("_ipv6")) {
            return opt(EMPTY_STRING_PCT, (row, r) -> ipv6(r));
        }
        if (n.endsWith("_fiat_value")) {
            return opt(EMPTY_STRING_PCT, (row, r) -> decimal(r, false));
        }
        if (n.endsWith("_currency") || n.endsWith("_unit_type")) {
            return opt(EMPTY_STRING_PCT, (row, r) -> pick(CURRENCIES, r));
        }
        if (n.contains("_category_path_")) {
            int level = Integer.parseInt(n.substring(n.lastIndexOf('_') + 1));
            long depthSalt = Mix.hash("#depth:" + n.substring(0, n.lastIndexOf('_')));
            return (row, r) -> level <= 1 + below(row.draw(depthSalt), 5) ? pick(CATEGORIES, r) : "";
        }
        switch (type) {
            case BOOL:
                return opt(EMPTY_TYPED_PCT, bool(30));
            case DATE:
                return opt(EMPTY_TYPED_PCT, (row, r) -> LocalDateText.of(row.epochDay - below(r, 365)));
            case UINT64:
                return opt(EMPTY_TYPED_PCT, (row, r) -> Long.toUnsignedString(mix(r)));
            case INT64:
                if (n.startsWith("appmetrica_")) { // counters of profiles: crashes, errors, push opens, ...
                    return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(percent(r) < 50 ? 0 : below(r, 500)));
                }
                return opt(EMPTY_TYPED_PCT, (row, r) -> Integer.toString(below(r, 100_000)));
            default:
                return opt(EMPTY_STRING_PCT, (row, r) -> pick(NASTY, r));
        }
    }

    // ---------------------------------------------------------------- moments

    private static Gen moment(SourceInfo src, String name, boolean datetime) {
        String prefix = name.substring(0, name.lastIndexOf('_')); // drop _datetime / _timestamp
        boolean receive = prefix.endsWith("_receive");
        String base = receive ? prefix.substring(0, prefix.length() - "_receive".length()) : prefix;
        boolean primary = base.equals(src.primaryPrefix);
        long baseHash = Mix.hash("#moment:" + base);
        if (datetime) {
            return (row, r) -> {
                int s = row.second(baseHash, primary, receive);
                return s < 0 ? "" : row.dateTime(s);
            };
        }
        return (row, r) -> {
            int s = row.second(baseHash, primary, receive);
            return s < 0 ? "" : row.timestamp(s);
        };
    }

    private static long lastStartDay(SimRow row) {
        return row.epochDay - Mix.below(row.draw(S_LAST_START), 60);
    }

    // ---------------------------------------------------------------- device, location, attribution

    static int platform(SimRow row) {
        int p = percent(mix(row.device() ^ S_PLATFORM));
        return p < 60 ? ANDROID : p < 97 ? IOS : WINDOWS;
    }

    private static String[] model(SimRow row) {
        String[][] models = MODELS[platform(row)];
        return models[below(mix(row.device() ^ S_MODEL), models.length)];
    }

    private static String deviceId(SimRow row) {
        switch (row.deviceNumber()) {
            case 0:
                return MAX_UINT64;
            case 1:
                return "9223372036854775808";
            case 2:
                return "9223372036854775807";
            default:
                return Long.toUnsignedString(mix(row.device() ^ S_ID));
        }
    }

    private static String profileId(SimRow row) {
        long d = mix(row.device() ^ S_PROFILE);
        int p = percent(d);
        if (p < 35) {
            return "";
        }
        if (p < 75) {
            return Long.toString(Mix.belowLong(d, 10_000_000L));
        }
        if (p < 90) {
            return "user_" + hex(d, 8) + "@example.com";
        }
        return "o'brien \"x\", " + below(d, 100);
    }

    private static String[] location(SimRow row) {
        return LOCATIONS[row.location(LOCATIONS.length)];
    }

    private static String[] publisher(SimRow row) {
        return PUBLISHERS[below(row.draw(S_PUBLISHER), PUBLISHERS.length)];
    }

    // ---------------------------------------------------------------- text builders

    private static String pushToken(SimRow row, long r) {
        int platform = platform(row);
        if (platform == IOS) {
            return hex(mix(r), 16) + hex(mix(r ^ 1), 16) + hex(mix(r ^ 2), 16) + hex(mix(r ^ 3), 16);
        }
        if (platform == WINDOWS) {
            return "https://db5p.notify.windows.com/?token=AwYAAAB" + hex(mix(r), 16).toUpperCase() + "%2b"
                    + hex(mix(r ^ 1), 16) + "%3d";
        }
        return "c" + hex(mix(r), 10) + ":APA91b" + hex(mix(r ^ 1), 16).toUpperCase() + "-" + hex(mix(r ^ 2), 16)
                + "_" + hex(mix(r ^ 3), 16);
    }

    private static String stackTrace(SimRow row, long r) {
        int line = 1 + below(mix(r), 2000);
        String text;
        // native traces follow the device's platform; JavaScript ones come from cross-platform (React Native) apps
        int platform = platform(row);
        int k = below(r, 3);
        int variant = platform == ANDROID ? (k == 0 ? 0 : k == 1 ? 3 : 2) : platform == IOS && k < 2 ? 1 : 2;
        switch (variant) {
            case 0:
                text = "java.lang.NullPointerException: Attempt to invoke virtual method 'int java.lang.String.length()'"
                        + " on a null object reference\n"
                        + "\tat com.example.app.ui.MainActivity.onCreate(MainActivity.java:" + line + ")\n"
                        + "\tat android.app.Activity.performCreate(Activity.java:8290)\n"
                        + "\tat android.app.ActivityThread.main(ActivityThread.java:7872)\n"
                        + "Caused by: java.lang.IllegalStateException: \"quoted\", with comma\n"
                        + "\t... 12 more";
                break;
            case 1:
                text = "Thread 0 Crashed:\n"
                        + "0   libswiftCore.dylib            \t0x00000001a3f5e2b4 $ss17_assertionFailure_:file:line:flags:Sf + 312\n"
                        + "1   MyApp                         \t0x0000000100a1c3d8 MyApp.ViewController.viewDidLoad() -> () (ViewController.swift:"
                        + line + ")\n"
                        + "2   UIKitCore                     \t0x00000001a5e7b4c0 -[UIViewController _sendViewDidLoadWithAppearanceProxyObjectTaggingEnabled] + 104";
                break;
            case 2:
                text = "TypeError: Cannot read properties of undefined (reading 'имя')\n"
                        + "    at Object.<anonymous> (C:\\Users\\dev\\app\\index.js:" + line + ":5)\n"
                        + "    at Module._compile (node:internal/modules/cjs/loader:1256:14)";
                break;
            default:
                text = "Ошибка сети: timeout, url=\"https://api.example.com/v1/items?id=1,2\" 😱\n"
                        + "\tat ru.example.net.Client.get(Client.kt:" + line + ")";
                break;
        }
        if (percent(r) < 10) {
            text = text.replace("\n", "\r\n");
        }
        return text;
    }

    private static String jsonText(long r) {
        switch (below(r, 11)) {
            case 0:
                return "{\"key\":\"va,l\\\"ue\",\"n\":1}";
            case 1:
                return "{}";
            case 2:
                return "{\"level\":" + below(mix(r), 100) + ",\"score\":" + below(mix(r ^ 1), 1_000_000)
                        + ",\"hero\":\"Рыцарь\"}";
            case 3:
                return "{\"screen\":\"Главная, вкладка «Новое»\",\"emoji\":\"😀🎉\",\"path\":\"C:\\\\Users\\\\test\"}";
            case 4:
                return "{\"text\":\"line1\\nline2\\ttab\",\"nested\":{\"a\":[1,2.5,null,true]}}";
            case 5:
                return "{\"item_id\":\"" + below(mix(r), 100_000) + "\",\"price\":" + decimal(mix(r ^ 2), false)
                        + ",\"currency\":\"RUB\"}";
            case 6:
                return "{\"url\":\"https://example.com/?a=1&b=2,3\",\"ua\":\"Mozilla/5.0 (X11; Linux x86_64)\"}";
            case 7:
                return "{\"Ehr\":true,\"Doctor Type\":\"Adult\"}";
            case 8:
                return "{\"big\":18446744073709551615,\"neg\":-42,\"float\":1.0E-7,\"unicode\":\"\\u041f\\u0440\"}";
            case 9:
                return "{\"multi\":\"a\\r\\nb\",\"quote\":\"\\\"\",\"tab\":\"\\t\",\"slash\":\"\\\\\"}";
            default:
                return "{\n  \"pretty\": true,\n  \"list\": [\"a\", \"b,c\"]\n}";
        }
    }

    private static String ipv6(long r) {
        long v = mix(r);
        StringBuilder sb = new StringBuilder(40);
        if (percent(r) < 40) {
            sb.append("::ffff:").append((v & 0xFF) | 1).append('.').append((v >>> 8) & 0xFF).append('.')
                    .append((v >>> 16) & 0xFF).append('.').append(((v >>> 24) & 0xFF) | 1);
            return sb.toString();
        }
        sb.append(percent(v) < 50 ? "2a02:6b8:" : "2001:db8:");
        sb.append(Long.toHexString((v >>> 16) & 0xFFFF)).append(':').append(Long.toHexString((v >>> 32) & 0xFFFF));
        if (percent(r ^ 5) < 50) {
            sb.append("::").append(Long.toHexString(v & 0xFFF)).append(':').append(Long.toHexString((v >>> 48) & 0xFFFF));
        } else {
            long w = mix(v);
            for (int i = 0; i < 4; i++) {
                sb.append(':').append(Long.toHexString((w >>> (16 * i)) & 0xFFFF));
            }
        }
        return sb.toString();
    }

    /** A money amount with 0..2 decimals, e.g. 149.00, 4.99, 1000, -4.99. */
    private static String decimal(long r, boolean negative) {
        long cents = Mix.belowLong(r, 10_000_000L);
        String text;
        if (percent(r) < 20) {
            text = Long.toString(cents / 100);
        } else {
            long c = cents % 100;
            text = (cents / 100) + (c < 10 ? ".0" : ".") + c;
        }
        return negative ? "-" + text : text;
    }

    // ---------------------------------------------------------------- helpers

    private static Gen opt(int pct, Gen g) {
        return (row, r) -> percent(r) < pct ? "" : g.value(row, mix(r));
    }

    private static Gen bool(int truePct) {
        return (row, r) -> percent(r) < truePct ? "true" : "false";
    }

    static String pick(String[] values, long r) {
        return values[below(r, values.length)];
    }

    static String hex(long v, int digits) {
        char[] c = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            c[i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
        return new String(c);
    }

    private static String uuid(long seed, long salt, boolean upper) {
        long a = mix(seed ^ salt);
        long b = mix(a ^ salt);
        char[] table = upper ? HEX_UPPER : HEX;
        char[] c = new char[36];
        int p = 0;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                c[p++] = '-';
            }
            long v = i < 16 ? a : b;
            int shift = 60 - 4 * (i & 15);
            c[p++] = table[(int) ((v >>> shift) & 0xF)];
        }
        return new String(c);
    }

    /** Fast yyyy-MM-dd text of an epoch day. */
    static final class LocalDateText {
        private LocalDateText() {
        }

        static String of(long epochDay) {
            return LocalDate.ofEpochDay(epochDay).toString();
        }
    }
}
