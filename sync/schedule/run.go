package schedule

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Run is the scheduler loop: it starts entries as they come due until ctx ends, then cancels the
// runs in progress (their ctx is derived from this one), waits for them and returns ctx's error.
// On start, slots missed while the app was closed follow the catch-up policy. Only one Run may be
// active at a time.
func (s *Scheduler) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.runCtx != nil {
		s.mu.Unlock()
		return errors.New("schedule: Run is already active")
	}
	runCtx, cancel := context.WithCancel(ctx)
	s.runCtx = runCtx
	s.mu.Unlock()
	defer func() {
		cancel()
		s.mu.Lock()
		s.runCtx = nil
		s.mu.Unlock()
		s.wg.Wait()
	}()
	for {
		t := s.clock.TimerAt(s.tick(runCtx))
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C():
		case <-s.wake:
			t.Stop()
		}
	}
}

// tick starts every due entry and returns when to look again.
func (s *Scheduler) tick(ctx context.Context) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock.Now()
	wait := s.maxSleep
	if s.paused {
		return now.Add(wait)
	}
	for id, e := range s.entries {
		if !e.Enabled || s.busy[id] != Idle {
			continue // a running entry pokes the loop when it ends
		}
		next, due := s.slotLocked(e, now)
		switch {
		case due:
			s.startLocked(ctx, id, false, nil)
		case !next.IsZero():
			wait = min(wait, next.Sub(now))
		}
	}
	return now.Add(wait)
}

// startLocked marks id queued and starts a goroutine that waits for a free slot and runs the job.
// done, if not nil, gets the job's error.
func (s *Scheduler) startLocked(ctx context.Context, id string, manual bool, done func(error)) {
	s.busy[id] = Queued
	s.wg.Add(1)
	go s.work(ctx, id, manual, done)
}

func (s *Scheduler) work(ctx context.Context, id string, manual bool, done func(error)) {
	defer s.wg.Done()
	var err error
	defer func() {
		if done != nil {
			done(err)
		}
	}()
	acquired := false
	select {
	case s.sem <- struct{}{}:
		acquired = true
	case <-ctx.Done():
	}
	// Checked after the select too: when a slot frees as the cancel comes,
	// select may choose the slot, and a queued run must still not start.
	if ctx.Err() != nil {
		if acquired {
			<-s.sem
		}
		err = ctx.Err()
		s.mu.Lock()
		delete(s.busy, id)
		s.mu.Unlock()
		return
	}

	s.mu.Lock()
	start := s.clock.Now()
	s.busy[id] = Running
	if e := s.entries[id]; e != nil {
		e.LastRun = start
	}
	s.mu.Unlock()
	s.emit(Event{EntryID: id, Kind: EventStarted, At: start, Manual: manual})

	err = s.call(ctx, id)
	<-s.sem

	end := s.clock.Now()
	// Finished is reported before the entry is idle again, so one entry's events never interleave.
	s.emit(Event{EntryID: id, Kind: EventFinished, At: end, Manual: manual, Err: err})
	s.mu.Lock()
	delete(s.busy, id)
	if e := s.entries[id]; e != nil {
		e.LastEnd, e.LastErr = end, err
	}
	s.mu.Unlock()
	s.poke()
}

// call runs the job, turning a panic into an error so one bad run cannot take the app down.
func (s *Scheduler) call(ctx context.Context, id string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("schedule: the run of %q panicked: %v", id, r)
		}
	}()
	return s.job(ctx, id)
}

func (s *Scheduler) emit(ev Event) {
	if s.onEvent != nil {
		s.onEvent(ev)
	}
}
