"""The scheduling domain: pure Python, no Firebase, no clock (``now`` is an argument).

Modules: ``ranges`` (half-open UTC intervals), ``zones`` (wall time <-> instant,
DST policy, the availability-zone rule), ``models`` (validated documents),
``open_hours`` (availability to UTC ranges), ``slots`` (bookable starts),
``ledger`` (the day sheets: reach, neighbours, an appointment's block),
``booking_window`` (notice and horizon), ``booking_check`` (accept or the
rejection code), ``search`` (API result shape), ``appointments`` (the
appointment and its lifecycle: statuses, allowed moves, the record each move
makes), ``booking_requests`` (the client contract: parsing a request, the
rejection reasons and messages), ``refusals`` (the one refusal type: a
stable code and a message), ``ids`` (the document id alphabet), ``documents`` (the
backend-owned fields of admin-edited documents).

The scheduling rules, for users:

* Open hours are wall-clock times in the provider's zone, per weekday, with
  date overrides (an empty override closes the day). ``22:00``-``02:00`` runs
  past midnight; ``24:00`` is accepted as an end.
* Daylight saving: a time the clocks skip (02:30 on a spring-forward night)
  means the moment the clocks jump to (03:00); a time that happens twice
  (01:30 on a fall-back night) means the first one.
* An appointment lies wholly inside open hours (it may end exactly at
  closing). Buffers before and after may fall outside open hours but never
  on another booking.
* Start times step by the slot interval (default: the duration) through each
  free stretch; a stretch's first start is rounded up to a tidy minute of
  the provider's local hour (:00 for hourly slots, :00/:20/:40 for 20-minute
  ones, ...). After a 10:00-10:10 booking, 20-minute slots resume at 10:20
  and hourly ones at 11:00.
* Group sessions (capacity > 1) stay bookable at their start until full.
* A daily limit caps the confirmed appointments of that type per provider-
  local day. Minimum notice and the booking horizon count from the moment
  of booking; a start exactly at either boundary is allowed.
"""
