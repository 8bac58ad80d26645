/** Roster messages: a coordinator's email to everyone booked on a shift (migration RosterMessages20261206). */

/** Who may be written to: a live booking on the shift when the message is sent. */
const LIVE_ON_ROSTER = `('confirmed', 'attended')`;

/** One organisation's messages are counted and written one at a time, so concurrent sends cannot pass the caps together. */
export const LOCK_ORGANISATION = `select pg_advisory_xact_lock(hashtextextended('roster-messages:' || ?::text, 0))`;

export const MESSAGE_SHIFT = `select s.status, s.ends_at from shifts s where s.id = ? and s.organisation_id = ?`;

export const RECENT_SENDS = `select shift_id = ? as same_shift, created_at from roster_messages
       where organisation_id = ? and created_at > now() - interval '24 hours'`;

export const SHIFT_ROLE = `select id, name from shift_roles where shift_id = ? and id = ?`;

export const INSERT_MESSAGE = `insert into roster_messages (shift_id, organisation_id, sent_by, subject, body, role_id, role_name)
       values (?, ?, ?, ?, ?, ?, ?) returning id, created_at`;

/** Everyone live on the roster, or (a role given) those booked in that role. */
export const INSERT_RECIPIENTS = `insert into roster_message_recipients (message_id, booking_id)
       select ?, b.id from bookings b where b.shift_id = ? and b.status in ${LIVE_ON_ROSTER}
         and (?::uuid is null or b.role_id = ?::uuid) returning booking_id`;

/** Delivered counts each recipient's email in the delivery log by its key, so the unique index answers. */
export const SHIFT_MESSAGES = `select m.id, m.subject, m.body, m.created_at, m.role_id, m.role_name, c.name as sent_by_name, m.sent_by is not null as by_coordinator,
         (select count(*)::int from roster_message_recipients r where r.message_id = m.id) as recipients,
         (select count(*)::int from roster_message_recipients r join email_deliveries d
            on d.kind = 'roster-message' and d.subject_id = m.id::text || ':' || r.booking_id::text and d.status = 'sent'
          where r.message_id = m.id) as delivered
       from roster_messages m left join coordinators c on c.account_id = m.sent_by
       where m.shift_id = ? and m.organisation_id = ? order by m.created_at desc, m.id`;

export const MESSAGE_FOR_MAIL = `select m.id, m.subject, m.body, m.role_name, c.name as sender_name, a.email as sender_email
       from roster_messages m left join coordinators c on c.account_id = m.sent_by left join accounts a on a.id = m.sent_by
       where m.id = ?`;

export const MESSAGE_RECIPIENTS = `select booking_id from roster_message_recipients where message_id = ? order by booking_id`;

/** Only someone still booked hears the message: a volunteer who cancelled meanwhile is not written to. */
export const RECIPIENT_STATUSES = ['confirmed', 'attended'];
