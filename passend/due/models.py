"""The due list stores nothing: what is due is computed from the data of the other apps every
time (passend.due.items, passend.due.services), never kept as reminders. The one thing a user
chooses, the weekly e-mail digest, is ``User.due_digest`` (passend.accounts.models)."""
