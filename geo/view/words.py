"""The interface's words, one table per language: English ("en") and Modern Standard Arabic ("ar").

One definition per string, used by the dashboard, the map application (sent in its payload: `ui_words`) and
the picture. Placeholders are str.format fields ({day}, {n}...), the same in both tables (tests/test_words.py).
Arabic terms follow docs/glossary-ar.md: one term for one thing. Data text (place and faction names) comes
from the data files (`name_ar`, `label_ar`, `short_ar`); outlet names and source titles stay as published.
"""

from __future__ import annotations

from datetime import date

LANGS = ("en", "ar")
DEFAULT_LANG = "en"
LANG_PARAM = "lang"

# Syria's Arabic month names (the Levant's, as Syrian outlets write them)
MONTHS_AR = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول")
WEEKDAYS_AR = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")

GOVERNORATES_AR = {
    "Al-Hasakah": "الحسكة",
    "Aleppo": "حلب",
    "Damascus": "دمشق",
    "Daraa": "درعا",
    "Deir ez-Zor": "دير الزور",
    "Hama": "حماة",
    "Homs": "حمص",
    "Idlib": "إدلب",
    "Latakia": "اللاذقية",
    "Quneitra": "القنيطرة",
    "Raqqa": "الرقة",
    "Rif Dimashq": "ريف دمشق",
    "Suwayda": "السويداء",
    "Tartus": "طرطوس",
}

EN: dict[str, str] = {
    "title": "Syria: who controlled what, day by day",
    "page_title": "Syria control map",
    "data_title": "Syria, territorial control, {first} - {last}",
    "language": "Language",
    "other_language": "العربية",
    "other_language_help": "Show this view in Arabic",
    # kinds of place
    "kind_city": "City",
    "kind_town": "Town",
    "kind_village": "Village",
    "kind_border_crossing": "Border crossing",
    "kind_military_base": "Military base",
    "kind_airport": "Airport / air base",
    "kind_dam": "Dam",
    "kind_area": "Area",
    "kind_military_post": "Military post / position",
    "kind_bridge": "Bridge",
    "kind_oil_gas_field": "Oil or gas field",
    "kind_camp": "Camp (displaced people, detainees' families)",
    "kind_prison": "Prison",
    "kind_place": "Place",
    # statuses and control
    "confirmed": "confirmed",
    "claimed": "claimed",
    "disputed": "disputed",
    "inferred": "inferred",
    "renamed": "renamed",
    "unknown": "unknown",
    "reported": "reported",
    "claimed_by": "claimed by {who}",
    "denied_by": "denied by {who}",
    "merger_status": "merger of factions (the place keeps its status: {status})",
    "inferred_tail": "{words}; inferred from a wider report",
    "contested_by": ", contested by {who}",
    "part_held_by": ", part held by {who}",
    "and": " and ",
    # headlines of changes
    "hl_merger": "{place} passes to {new} as {gone} merges into it",
    "hl_contest": "{attackers} contest {place}, held by {new}",
    "hl_contest1": "{attackers} contests {place}, held by {new}",
    "hl_took": "{new} took {place} from {old}",
    "hl_part": "; {part} holds part of it",
    "hl_split": "{place} is split: {new} holds it, {part} holds part",
    "hl_over": "{new} holds {place}; the fighting is over",
    "hl_holds": "{new} holds {place}",
    "renamed_summary": "{old} is now called {new}.",
    # legend
    "places_col": "places",
    "area_col": "zone area*",
    "population_col": "population*",
    "inferred_of": "of which inferred from wider reports",
    "inf_short": "{n} inf.",
    "contested_km2": "of which {km2} contested",
    "none_contested": "none contested",
    "no_data_row": "No data",
    "no_data_reach": "(farther than {km} km from every listed place)",
    "all_places": "All places",
    "zones_caption": (
        "Areas are approximate zones inferred from held places, not surveyed front lines; "
        "population counts the listed towns (GeoNames), not the zones."
    ),
    "no_inference": "No place rests on inference this day.",
    "inference_one": "{n} place rests on inference from a wider report (no source names the place; white centre dot).",
    "inference_many": "{n} places rest on inference from a wider report (no source names the place; white centre dot).",
    # symbols
    "sym_held": "Held (confirmed): holder's colour",
    "sym_contested": "Contested: striped edge in the attacker's colour",
    "sym_split": "Split: right half in the second holder's colour",
    "sym_claimed": "Claimed, not confirmed: hollow",
    "sym_disputed": "Disputed (denied): hollow, dotted edge",
    "sym_inferred": "Inferred from a wider report (no source names the place): white centre dot",
    "sym_changed": "Changed on this day: black ring",
    "sym_selected": "Selected place: blue dashed ring",
    "sym_zone": "Zone (approximate): the ground nearest the places a side holds",
    "sym_zone_contested": "Contested zone: stripes in the attacker's colour, dashed edge",
    "sym_front": "Front line (approximate): where two sides' zones meet",
    # what changed, history, compare
    "what_changed": "What changed on this day",
    "no_change": "No recorded change of control on {day}.",
    "note": "Note: {text}",
    "sources": "Sources: {list}",
    "none": "none",
    "no_source_names": "no source names the place",
    "history": "History of the place",
    "governorate": "{gov} governorate",
    "also": "; also {names}",
    "from_day": "From {day}",
    "on_day": "On {day}",
    "baseline_summary": "Baseline: the state the timeline starts from.",
    "changed_between": "Changed hands between {a} and {b}",
    "no_place_changed": "No place changed hands.",
    "zone_area": "zone area {km2}",
    "gained": "gained {n}",
    "gained_none": "no place gained",
    "from_holder": "{place} (from {old})",
    "zone_area_approx": "Zone area, approximate: {list}",
    "no_change_short": "no change",
    "km2": "{n} km²",
    "millions": "{n} M",
    "thousands": "{n} k",
    "list_sep": ", ",
    # captions and panels
    "as_of": (
        "As of {last}: {places} places, {events} sourced events since {first}. The latest change of control is of "
        "{change}.{reports} The map shows who held each place at the end of the chosen day."
    ),
    "reports_read": " Reports were read up to {day}; later reports are not yet included.",
    "data_method": "Data & method",
    "baseline": "Baseline: {day}.",
    # the map's own sources, said once (the lines that credit them are joined from these: _credit_lines)
    "credit_border": "Border: Natural Earth",
    "credit_places": "Places: GeoNames (CC BY 4.0) and hand sources",
    "credit_control": "Control: sourced events",
    "credit_tiles": "Map tiles",
    "exported": "Exported {when} UTC.",
    "zones_toggle": "Zones (approximate)",
    "zones_help": "Inferred from the places each side holds: not surveyed front lines.",
    "fronts_toggle": "Front lines",
    "fronts_help": "Where the approximate zones of two sides meet.",
    "chart": "Chart",
    "chart_places": "Places held",
    "chart_area": "Zone area (km², approximate)",
    "find_place": "Find a place (or click one on the map) to see its history",
    "find_placeholder": "Name, Arabic name or alias",
    "download": "Download",
    "download_caption": (
        "The picture, GeoJSON and CSV show {day}{zones}; the interactive map is one self-contained file with "
        "every day, to open or host anywhere."
    ),
    "zones_included": ", zones included",
    "zones_working": "Working out the approximate zones…",
    "map_unwritable": "The map's page could not be written to static/maps/ ({error}); the panels still work.",
    "data_failed": "The data files did not pass validation ({n} problem(s)). ",
    "data_kept": "Below is the map of the last version that passed, until they are fixed. ",
    "data_back": "The map comes back once they are fixed. ",
    "data_lines": "Each line is FILE:LINE: field: message.",
    "dl_png": "Picture (PNG)",
    "dl_geojson": "GeoJSON",
    "dl_csv": "CSV",
    "dl_html": "Interactive map (HTML)",
    # notices about a link's parameters
    "link_repeated": "The link gives {name} {count} different values: {fallback}.",
    "link_latest": "showing the latest day, {day}",
    "link_no_place": "no place is selected",
    "link_bad_date": "The link's date `{text}` is not a date like {like}: {fallback}.",
    "link_date_outside": "The link's date {day} is outside the data ({first} to {last}): {fallback}.",
    "link_bad_place": "The link's place `{text}` is not in the gazetteer: {fallback}.",
    "link_zones": "showing the zones",
    "link_fronts": "showing the front lines",
    "link_bad_flag": "The link's {name} value is not 0 or 1: {fallback}.",
    "link_no_compare": "no comparison is shown",
    "link_bad_compare": "The link's comparison date `{text}` is not a day of the data: {fallback}.",
    # the table view
    "table_view": "Table of the day",
    "table_caption": "Every place at the end of {day}: sort by a column's header, filter by typing in the box above.",
    "table_filter": "Filter the table (name, holder, governorate…)",
    "col_place": "Place",
    "col_kind": "Kind",
    "col_governorate": "Governorate",
    "col_holder": "Holder",
    "col_since": "Since",
    "col_status": "Status",
    "col_basis": "Basis",
    "table_rows": "{n} of {total} places",
    "col_day": "day",
    "chart_places_title": "places held",
    "chart_description": "Chart of {what} per faction, day by day (the table of the day has the figures)",
    "chart_area_title": "km² of approximate zones",
    # the map application (sent in its payload)
    "date_control": "Date control",
    "day_slider": "Day (the map shows the end of the day)",
    "prev_day": "Previous day",
    "next_day": "Next day",
    "prev_key": "Previous day (←)",
    "next_key": "Next day (→)",
    "play": "▶ Play",
    "pause": "❚❚ Pause",
    "play_key": "Play (Space)",
    "play_speed": "Play speed",
    "speed_1": "1 day/s",
    "speed_7": "7 days/s",
    "speed_30": "30 days/s",
    "speed_changes": "changes only",
    "periods": "Periods…",
    "jump_period": "Jump to a period",
    "compare_with": "Compare with ",
    "compare_day": "Compare with the day",
    "stop_compare": "Stop comparing",
    "changes_per_day": "Changes of control per day",
    "n_changes_one": "{day}: {n} change",
    "n_changes": "{day}: {n} changes",
    "rings_since": "rings: places that changed hands since {day}",
    "since": " since {day}",
    "changed_this_day": "changed this day",
    "on_was": "on {day}: {words}",
    "show_on_map": "Show on map",
    "holder_gained": "{holder} gained {n}",
    "map_frame": "Map of Syria with its date control",
    "places_held": "Places held",
    "symbols": "Symbols",
    "static_caption": (
        "{places} places, {events} changes of control, {first} to {last}{reports}. "
        "The map shows who held each place at the end of the chosen day."
    ),
    "static_reports": " (reports read up to {day})",
    "zones_box": " Shaded zones and front lines (approximate)",
    "zones_note": "Approximate zones inferred from held places, not surveyed front lines.",
    "nodata_note": " Grey: farther than {km} km from every listed place (no data).",
    "keys_help": (
        "Keys: ←/→ a day, Shift+←/→ the previous/next day with changes, Home/End, Space to play. Click a place for its "
        "history. The address holds the view (#date=2024-12-06): copy it to share this view."
    ),
    "sources_footer": "Every change of control is a sourced event; claims nobody has verified are drawn hollow.",
    "needs_js": "This map needs JavaScript.",
    "zoom_in": "Zoom in",
    "zoom_out": "Zoom out",
    "contributors": "contributors",
    "close": "Close",
    # the picture
    "png_title": "Who controlled what in Syria",
    "png_link": " · data and sources: {link}",
    "png_zones_note": "Shaded areas: approximate zones inferred from held places, not surveyed front lines.",
    "png_symbols": "Symbols",
    "png_sym_held": "Held (confirmed)",
    "png_sym_claimed": "Claimed: hollow",
    "png_sym_disputed": "Disputed: dotted edge",
    "png_sym_contested": "Contested: attacker's edge",
    "png_sym_changed": "Changed this day: ring",
    "png_sym_split": "Split: second holder's half",
    "png_sym_inferred": "Inferred: white dot",
    "png_end_of_day": "End of day · {words}",
    "png_changes_one": "{n} change of control this day",
    "png_changes": "{n} changes of control this day",
    "png_no_change": "No recorded change this day",
    "png_places_of": "Places held, of {n}",
    "png_inferred": " ({n} inferred)",
    "png_sources_one": "Sources: events.yaml, {n} sourced event to this day — ",
    "png_sources": "Sources: events.yaml, {n} sourced events to this day — ",
    "png_more": " and {n} more",
}

AR: dict[str, str] = {
    "title": "سوريا: من سيطر على ماذا، يومًا بيوم",
    "page_title": "خريطة السيطرة في سوريا",
    "data_title": "سوريا، السيطرة على الأرض، {first} - {last}",
    "language": "اللغة",
    "other_language": "English",
    "other_language_help": "اعرض هذا العرض بالإنجليزية",
    "kind_city": "مدينة",
    "kind_town": "بلدة",
    "kind_village": "قرية",
    "kind_border_crossing": "معبر حدودي",
    "kind_military_base": "قاعدة عسكرية",
    "kind_airport": "مطار / قاعدة جوية",
    "kind_dam": "سد",
    "kind_area": "منطقة",
    "kind_military_post": "نقطة / موقع عسكري",
    "kind_bridge": "جسر",
    "kind_oil_gas_field": "حقل نفط أو غاز",
    "kind_camp": "مخيم (نازحون، عائلات محتجزين)",
    "kind_prison": "سجن",
    "kind_place": "موقع",
    "confirmed": "مؤكَّد",
    "claimed": "ادّعاء",
    "disputed": "متنازَع عليه",
    "inferred": "مستنتَج",
    "renamed": "تغيير اسم",
    "unknown": "غير معروف",
    "reported": "مُبلَّغ عنه",
    "claimed_by": "ادّعاء من {who}",
    "denied_by": "نفي من {who}",
    "merger_status": "اندماج فصائل (يحتفظ الموقع بحالته: {status})",
    "inferred_tail": "{words}؛ مستنتَج من تقرير أعم",
    "contested_by": "، ومحلّ قتال مع {who}",
    "part_held_by": "، وجزء من الموقع بيد {who}",
    "and": " و",
    "hl_merger": "انتقال {place} إلى {new} بعد اندماج {gone}",
    "hl_contest": "قتال {attackers} على {place} (بيد {new})",
    "hl_contest1": "قتال {attackers} على {place} (بيد {new})",
    "hl_took": "سيطرة {new} على {place} (كان بيد {old})",
    "hl_part": "؛ وجزء من الموقع بيد {part}",
    "hl_split": "انقسام السيطرة على {place}: بيد {new}، وجزء من الموقع بيد {part}",
    "hl_over": "{place} بيد {new}؛ انتهى القتال",
    "hl_holds": "{place} بيد {new}",
    "renamed_summary": "أصبح اسم {old}: {new}.",
    "places_col": "المواقع",
    "area_col": "مساحة المنطقة*",
    "population_col": "السكان*",
    "inferred_of": "منها مستنتَجة من تقارير أعم",
    "inf_short": "{n} مستنتَج",
    "contested_km2": "منها {km2} محلّ قتال",
    "none_contested": "لا قتال فيها",
    "no_data_row": "لا بيانات",
    "no_data_reach": "(أبعد من {km} كم عن كل موقع مُدرج)",
    "all_places": "كل المواقع",
    "zones_caption": (
        "المساحات مناطق تقريبية مستنتَجة من المواقع المسيطَر عليها، لا خطوط جبهة مَسوحة؛ "
        "السكان هم سكان المدن والبلدات المُدرجة (GeoNames)، لا سكان المناطق."
    ),
    "no_inference": "لا موقع تستند حالته إلى استنتاج في هذا اليوم.",
    "inference_one": "{n} موقع تستند حالته إلى استنتاج من تقرير أعم (لا مصدر يسمّي الموقع؛ نقطة بيضاء في الوسط).",
    "inference_many": "{n} مواقع تستند حالتها إلى استنتاج من تقرير أعم (لا مصدر يسمّي الموقع؛ نقطة بيضاء في الوسط).",
    "sym_held": "مسيطَر عليه (مؤكَّد): لون الجهة المسيطرة",
    "sym_contested": "محلّ قتال: حافة مخططة بلون المهاجم",
    "sym_split": "مقسَّم: النصف الأيمن بلون الجهة الثانية",
    "sym_claimed": "ادّعاء غير مؤكَّد: رمز مفرَّغ",
    "sym_disputed": "متنازَع عليه (منفيّ): رمز مفرَّغ بحافة منقّطة",
    "sym_inferred": "مستنتَج من تقرير أعم (لا مصدر يسمّي الموقع): نقطة بيضاء في الوسط",
    "sym_changed": "تغيّر في هذا اليوم: حلقة سوداء",
    "sym_selected": "الموقع المحدَّد: حلقة زرقاء متقطعة",
    "sym_zone": "منطقة (تقريبية): الأرض الأقرب إلى مواقع كل طرف",
    "sym_zone_contested": "منطقة محلّ قتال: خطوط بلون المهاجم، حافة متقطعة",
    "sym_front": "خط جبهة (تقريبي): حيث تلتقي منطقتا طرفين",
    "what_changed": "ما الذي تغيّر في هذا اليوم",
    "no_change": "لا تغيير مسجَّل في السيطرة في {day}.",
    "note": "ملاحظة: {text}",
    "sources": "المصادر: {list}",
    "none": "لا شيء",
    "no_source_names": "لا مصدر يسمّي الموقع",
    "history": "تاريخ الموقع",
    "governorate": "محافظة {gov}",
    "also": "؛ ويُعرف أيضًا بـ {names}",
    "from_day": "منذ {day}",
    "on_day": "في {day}",
    "baseline_summary": "الوضع الأولي: الحالة التي يبدأ منها الخط الزمني.",
    "changed_between": "ما انتقلت السيطرة عليه بين {a} و{b}",
    "no_place_changed": "لم تنتقل السيطرة على أي موقع.",
    "zone_area": "مساحة المنطقة {km2}",
    "gained": "مكاسب: {n}",
    "gained_none": "لا مكاسب",
    "from_holder": "{place} (من {old})",
    "zone_area_approx": "مساحة المنطقة، تقريبًا: {list}",
    "no_change_short": "لا تغيير",
    "km2": "{n} كم²",
    "millions": "{n} مليون",
    "thousands": "{n} ألف",
    "list_sep": "، ",
    "as_of": (
        "حتى {last}: {places} موقعًا، و{events} حدثًا موثَّقًا منذ {first}. آخر تغيير في السيطرة بتاريخ {change}.{reports} "
        "تُظهر الخريطة من سيطر على كل موقع في نهاية اليوم المختار."
    ),
    "reports_read": " قُرئت التقارير حتى {day}؛ التقارير اللاحقة غير مُدرجة بعد.",
    "data_method": "البيانات والمنهجية",
    "baseline": "الوضع الأولي: {day}.",
    "credit_border": "الحدود: Natural Earth",
    "credit_places": "المواقع: GeoNames (CC BY 4.0) ومصادر يدوية",
    "credit_control": "السيطرة: أحداث موثَّقة بمصادر",
    "credit_tiles": "بلاطات الخريطة",
    "exported": "صُدِّرت {when} بالتوقيت العالمي.",
    "zones_toggle": "المناطق (تقريبية)",
    "zones_help": "مستنتَجة من المواقع التي يسيطر عليها كل طرف: ليست خطوط جبهة مَسوحة.",
    "fronts_toggle": "خطوط الجبهة",
    "fronts_help": "حيث تلتقي المناطق التقريبية لطرفين.",
    "chart": "الرسم البياني",
    "chart_places": "المواقع المسيطَر عليها",
    "chart_area": "مساحة المنطقة (كم²، تقريبية)",
    "find_place": "ابحث عن موقع (أو انقر على موقع في الخريطة) لترى تاريخه",
    "find_placeholder": "الاسم بالعربية أو بالإنجليزية",
    "download": "تنزيل",
    "download_caption": (
        "الصورة وملفا GeoJSON وCSV تُظهر {day}{zones}؛ والخريطة التفاعلية ملف واحد مستقل فيه كل الأيام، يُفتح أو يُستضاف في أي مكان."
    ),
    "zones_included": "، مع المناطق",
    "zones_working": "يجري حساب المناطق التقريبية…",
    "map_unwritable": "تعذّرت كتابة صفحة الخريطة في static/maps/ ({error})؛ اللوحات ما زالت تعمل.",
    "data_failed": "لم تجتز ملفات البيانات التحقق ({n} مشكلة). ",
    "data_kept": "أدناه خريطة آخر نسخة اجتازت التحقق، إلى أن تُصلَح. ",
    "data_back": "تعود الخريطة حين تُصلَح. ",
    "data_lines": "كل سطر: FILE:LINE: الحقل: الرسالة.",
    "dl_png": "صورة (PNG)",
    "dl_geojson": "GeoJSON",
    "dl_csv": "CSV",
    "dl_html": "خريطة تفاعلية (HTML)",
    "link_repeated": "يعطي الرابط للمعامل {name} عدد {count} من القيم المختلفة: {fallback}.",
    "link_latest": "يُعرض آخر يوم، {day}",
    "link_no_place": "لم يُحدَّد أي موقع",
    "link_bad_date": "تاريخ الرابط `{text}` ليس تاريخًا مثل {like}: {fallback}.",
    "link_date_outside": "تاريخ الرابط {day} خارج البيانات (من {first} إلى {last}): {fallback}.",
    "link_bad_place": "موقع الرابط `{text}` ليس في المعجم الجغرافي: {fallback}.",
    "link_zones": "تُعرض المناطق",
    "link_fronts": "تُعرض خطوط الجبهة",
    "link_bad_flag": "قيمة {name} في الرابط ليست 0 أو 1: {fallback}.",
    "link_no_compare": "لا تُعرض مقارنة",
    "link_bad_compare": "تاريخ المقارنة في الرابط `{text}` ليس يومًا من أيام البيانات: {fallback}.",
    "table_view": "جدول اليوم",
    "table_caption": "كل المواقع في نهاية {day}: رتّب بعنوان العمود، وصفِّ بالكتابة في الحقل أعلاه.",
    "table_filter": "صفِّ الجدول (الاسم، الجهة المسيطرة، المحافظة…)",
    "col_place": "الموقع",
    "col_kind": "النوع",
    "col_governorate": "المحافظة",
    "col_holder": "الجهة المسيطرة",
    "col_since": "منذ",
    "col_status": "الحالة",
    "col_basis": "الأساس",
    "table_rows": "{n} من {total} موقعًا",
    "col_day": "اليوم",
    "chart_places_title": "المواقع المسيطَر عليها",
    "chart_description": "رسم بياني لـ{what} لكل فصيل، يومًا بيوم (الأرقام في جدول اليوم)",
    "chart_area_title": "كم² من المناطق التقريبية",
    "date_control": "أداة التاريخ",
    "day_slider": "اليوم (تُظهر الخريطة نهاية اليوم)",
    "prev_day": "اليوم السابق",
    "next_day": "اليوم التالي",
    "prev_key": "اليوم السابق (←)",
    "next_key": "اليوم التالي (→)",
    "play": "▶ تشغيل",
    "pause": "❚❚ إيقاف مؤقت",
    "play_key": "تشغيل (مسافة)",
    "play_speed": "سرعة التشغيل",
    "speed_1": "يوم/ثانية",
    "speed_7": "7 أيام/ثانية",
    "speed_30": "30 يومًا/ثانية",
    "speed_changes": "التغييرات فقط",
    "periods": "الفترات…",
    "jump_period": "انتقل إلى فترة",
    "compare_with": "قارن مع ",
    "compare_day": "قارن مع اليوم",
    "stop_compare": "أوقف المقارنة",
    "changes_per_day": "تغييرات السيطرة في كل يوم",
    "n_changes_one": "{day}: تغيير واحد",
    "n_changes": "{day}: {n} تغييرات",
    "rings_since": "الحلقات: مواقع انتقلت السيطرة عليها منذ {day}",
    "since": " منذ {day}",
    "changed_this_day": "تغيّر في هذا اليوم",
    "on_was": "في {day}: {words}",
    "show_on_map": "اعرض على الخريطة",
    "holder_gained": "مكاسب {holder}: {n}",
    "map_frame": "خريطة سوريا مع أداة التاريخ",
    "places_held": "المواقع المسيطَر عليها",
    "symbols": "الرموز",
    "static_caption": (
        "{places} موقعًا، {events} تغييرًا في السيطرة، من {first} إلى {last}{reports}. "
        "تُظهر الخريطة من سيطر على كل موقع في نهاية اليوم المختار."
    ),
    "static_reports": " (قُرئت التقارير حتى {day})",
    "zones_box": " المناطق المظلَّلة وخطوط الجبهة (تقريبية)",
    "zones_note": "مناطق تقريبية مستنتَجة من المواقع المسيطَر عليها، لا خطوط جبهة مَسوحة.",
    "nodata_note": " الرمادي: أبعد من {km} كم عن كل موقع مُدرج (لا بيانات).",
    "keys_help": (
        "المفاتيح: ←/→ يوم، Shift+←/→ اليوم السابق/التالي الذي فيه تغييرات، Home/End، المسافة للتشغيل. انقر على موقع "
        "لترى تاريخه. يحفظ العنوان العرض (#date=2024-12-06): انسخه لمشاركة هذا العرض."
    ),
    "sources_footer": "كل تغيير في السيطرة حدث موثَّق بمصدر؛ الادعاءات التي لم يتحقق منها أحد مرسومة مفرَّغة.",
    "needs_js": "تحتاج هذه الخريطة إلى JavaScript.",
    "zoom_in": "تكبير",
    "zoom_out": "تصغير",
    "contributors": "(المساهمون)",
    "close": "إغلاق",
    "png_title": "من سيطر على ماذا في سوريا",
    "png_link": " · البيانات والمصادر: {link}",
    "png_zones_note": "المساحات المظلَّلة: مناطق تقريبية مستنتَجة من المواقع المسيطَر عليها، لا خطوط جبهة مَسوحة.",
    "png_symbols": "الرموز",
    "png_sym_held": "مسيطَر عليه (مؤكَّد)",
    "png_sym_claimed": "ادّعاء: مفرَّغ",
    "png_sym_disputed": "متنازَع عليه: حافة منقّطة",
    "png_sym_contested": "محلّ قتال: حافة بلون المهاجم",
    "png_sym_changed": "تغيّر في هذا اليوم: حلقة",
    "png_sym_split": "مقسَّم: نصف بلون الجهة الثانية",
    "png_sym_inferred": "مستنتَج: نقطة بيضاء",
    "png_end_of_day": "نهاية اليوم · {words}",
    "png_changes_one": "تغيير واحد في السيطرة في هذا اليوم",
    "png_changes": "{n} تغييرات في السيطرة في هذا اليوم",
    "png_no_change": "لا تغيير مسجَّل في هذا اليوم",
    "png_places_of": "المواقع المسيطَر عليها، من {n}",
    "png_inferred": " ({n} مستنتَج)",
    "png_sources_one": "المصادر: events.yaml، حدث موثَّق واحد حتى هذا اليوم — ",
    "png_sources": "المصادر: events.yaml، {n} حدثًا موثَّقًا حتى هذا اليوم — ",
    "png_more": " و{n} غيرها",
}


def _credit_lines(table: dict[str, str]) -> dict[str, str]:
    """The lines that credit the map's own sources, each joined from the same credit_* words: the map's corner
    (map_credit), the picture's foot (png_attribution) and the standalone page's footer (credits_footer)."""
    border, places, control = table["credit_border"], table["credit_places"], table["credit_control"]
    return {
        "map_credit": f"{border} · {places} · {control}",
        "png_attribution": f"{border} · {places}",
        "credits_footer": f"{places}. {border}. {table['exported']}",
    }


EN.update(_credit_lines(EN))
AR.update(_credit_lines(AR))
TABLES = {"en": EN, "ar": AR}


def lang_of(value: object) -> str:
    """A language code from a link or an option: 'ar' or the default."""
    text = str(value or "").strip().lower()
    return text if text in TABLES else DEFAULT_LANG


def words(lang: str) -> dict[str, str]:
    """The table of one language (English for an unknown code)."""
    return TABLES.get(lang, EN)


def text_dir(lang: str) -> str:
    return "rtl" if lang == "ar" else "ltr"


def day_label(day: date, lang: str = DEFAULT_LANG) -> str:
    """'6 Dec 2024'; in Arabic '6 كانون الأول 2024'."""
    if lang == "ar":
        return f"{day.day} {MONTHS_AR[day.month - 1]} {day.year}"
    return f"{day.day} {day:%b %Y}"


def weekday(day: date, lang: str = DEFAULT_LANG) -> str:
    return WEEKDAYS_AR[day.weekday()] if lang == "ar" else f"{day:%A}"


def kind_label(kind: str, lang: str = DEFAULT_LANG) -> str:
    table = words(lang)
    return table.get(f"kind_{kind}", table["kind_place"])


def governorate(name: str, lang: str = DEFAULT_LANG) -> str:
    return GOVERNORATES_AR.get(name, name) if lang == "ar" else name


def number(n: float, lang: str = DEFAULT_LANG) -> str:
    """Thousands separated: '12,300' (Western digits in both languages; docs/glossary-ar.md)."""
    return f"{n:,.0f}"
