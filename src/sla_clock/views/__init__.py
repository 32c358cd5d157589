"""What people read and see: words in two languages, text summaries, figures (a wing).

Views draw what they are given and compute nothing twice. The only public module is
:mod:`sla_clock.views.figure` (timeline pictures, the ``docs`` extra); the others serve the
command line: the one word table (:mod:`._words`), number and time formats
(:mod:`._formats`), status and explanation text (:mod:`._text`), a calendar year
(:mod:`._calendar_year`) and the policy table (:mod:`._policy_table`).
"""

__all__: list[str] = []
