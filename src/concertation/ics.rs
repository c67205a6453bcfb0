//! The invitation as iCalendar (RFC 5545), written with the `ics` crate: the event in Brussels local
//! time with its `VTIMEZONE` (the EU rules: summer time from the last Sunday of March at 02:00 to the
//! last Sunday of October at 03:00), so that calendars place it right on both sides of a change.

use ics::components::Property;
use ics::parameters::TzIDParam;
use ics::properties::{Description, DtEnd, DtStart, Location, RRule, Summary, TzName, URL};
use ics::{Daylight, Event, ICalendar, Standard, TimeZone};
use jiff::Timestamp;
use jiff::civil::DateTime;

use super::{Concertation, Participant};

const TZID: &str = "Europe/Brussels";

fn local(at: DateTime) -> String {
    at.strftime("%Y%m%dT%H%M%S").to_string()
}

fn brussels() -> TimeZone<'static> {
    let mut summer = Daylight::new("19700329T020000", "+0100", "+0200");
    summer.push(RRule::new("FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"));
    summer.push(TzName::new("CEST"));
    let mut winter = Standard::new("19701025T030000", "+0200", "+0100");
    winter.push(RRule::new("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"));
    winter.push(TzName::new("CET"));
    let mut tz = TimeZone::daylight(TZID, summer);
    tz.add_standard(winter);
    tz
}

/// The agenda's headings, in `lang` (fr, nl, en): no word of the plan itself.
fn agenda(lang: &str) -> &'static str {
    match lang {
        "nl" => {
            "Agenda:\n1. Wat belangrijk is voor de persoon\n2. Lopende en achterstallige acties\n3. Wat veranderde sinds de vorige keer\n4. Wie doet wat, tegen wanneer\n5. Volgende datum"
        }
        "en" => {
            "Agenda:\n1. What matters to the person\n2. Open and overdue actions\n3. What changed since last time\n4. Who does what, by when\n5. Next date"
        }
        _ => {
            "Ordre du jour\u{202f}:\n1. Ce qui est important pour la personne\n2. Les actions en cours et en retard\n3. Ce qui a changé depuis la dernière fois\n4. Qui fait quoi, pour quand\n5. La prochaine date"
        }
    }
}

/// The iCalendar text of the invitation to `c` at `start` (Brussels time) for `invited`.
pub fn invitation(
    c: &Concertation,
    start: DateTime,
    invited: &[&Participant],
    now: Timestamp,
    lang: &str,
) -> String {
    let end = start
        .to_zoned(crate::clock::brussels())
        .ok()
        .and_then(|z| {
            z.checked_add(jiff::Span::new().minutes(i64::from(c.minutes)))
                .ok()
        })
        .map_or(start, |z| z.datetime());
    let mut calendar = ICalendar::new("2.0", "-//Proxi//Concertation//FR");
    calendar.add_timezone(brussels());
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut event = Event::new(format!("{}@proxi", c.id), stamp);
    let mut dtstart = DtStart::new(local(start));
    dtstart.add(TzIDParam::new(TZID));
    event.push(dtstart);
    let mut dtend = DtEnd::new(local(end));
    dtend.add(TzIDParam::new(TZID));
    event.push(dtend);
    event.push(Summary::new(ics::escape_text(c.title.clone())));
    let place = [c.place.trim(), c.video_link.trim()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" — ");
    if !place.is_empty() {
        event.push(Location::new(ics::escape_text(place)));
    }
    if !c.video_link.trim().is_empty() {
        event.push(URL::new(c.video_link.trim().to_owned()));
    }
    event.push(Description::new(ics::escape_text(agenda(lang))));
    for p in invited.iter().filter(|p| !p.email.trim().is_empty()) {
        let mut attendee = Property::new("ATTENDEE", format!("mailto:{}", p.email.trim()));
        attendee.add(ics::components::Parameter::new(
            "CN",
            format!("\"{}\"", p.name.replace('"', "'")),
        ));
        attendee.add(ics::components::Parameter::new("ROLE", "REQ-PARTICIPANT"));
        event.push(attendee);
    }
    calendar.add_event(event);
    calendar.to_string()
}
