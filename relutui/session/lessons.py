"""Lesson glue (issue 5): open a lesson into the session, its notes, and the session as a
lesson. A mixin of ``Session``."""

from __future__ import annotations

from typing import Any


class LessonNotes:
    """Notes shown in a side panel, and lessons in and out."""

    def _init_notes(self) -> None:
        self.notes: str | None = None
        self.notes_title: str = ""
        self.show_notes: bool = False

    def open_lesson(self, lesson: Any) -> None:
        """The lesson's state (compare mode, steps trained), notes and experiment. The state must
        have been built with ``lesson.config`` (or the command line's changes to it)."""
        from relutui.lessons import apply_lesson

        apply_lesson(self, lesson)
        self.set_notes(lesson.notes, lesson.title)
        if lesson.experiment:
            self.load_experiment(lesson.experiment, apply_config=False)
        self._touch()

    def switch_lesson(self, lesson: Any) -> None:
        """Another lesson of a sequence: its settings (all of them: the command line's changes
        were for the first), a fresh run, then as ``open_lesson``. Validated before anything
        changes: a lesson that cannot be built leaves the session as it was."""
        import dataclasses

        cfg = lesson.config.validate()
        self.pause()
        if self.experiment is not None:
            self.dismiss_experiment()
        was_compare = self.compare
        self.compare = False
        try:
            self._rebuild(**{f.name: getattr(cfg, f.name) for f in dataclasses.fields(cfg)})
        except ValueError:
            self.compare = was_compare
            raise
        self._main_run = None
        self.open_lesson(lesson)

    def set_notes(self, notes: str | None, title: str = "") -> None:
        self.notes = notes.strip("\n").rstrip() if notes and notes.strip() else None
        self.notes_title = title or ""
        self.show_notes = self.notes is not None
        self._touch()

    def toggle_notes(self) -> bool:
        if self.notes is None:
            raise ValueError("no notes: a lesson with notes shows them here (relutui --lesson FILE)")
        self.show_notes = not self.show_notes
        self._touch()
        return self.show_notes

    def as_lesson(self, focus: str | None = None):
        """The current state as a lesson (``relutui.lessons.Lesson``): settings, compare mode,
        steps trained, notes, the loaded experiment."""
        from relutui.experiments import experiment_names
        from relutui.lessons import lesson_from_state

        experiment = None
        if self.experiment is not None and self.experiment.name in experiment_names():
            experiment = self.experiment.name
        return lesson_from_state(self, title=self.notes_title, notes=self.notes, focus=focus,
                                 experiment=experiment)
