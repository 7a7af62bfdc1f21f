"""Real Agno runs traced by Agno's own tracing setup into a database.

  python agno_producer.py --db sqlite:///path/agno.db|postgresql+psycopg2://… --llm http://127.0.0.1:PORT/v1 [--hang]

The model is OpenAIChat / OpenAILike pointed at the tests' LLM stand-in
(test/support/llm.ts); everything else is Agno as a user runs it:
setup_tracing(db=…) with its SimpleSpanProcessor, so every span is written to
agno_traces/agno_spans as it ends. Runs, one session each:

  tools      an agent that calls a tool
  team       a team whose leader delegates to a member agent
  reasoning  an agent on a reasoning model (reasoning_content in the answer)
  recover    a tool that raises, then the run retries and answers
  (--hang)   a team run still in progress: its member's run is written, then
             the process dies inside the leader's tool, so the team's own span
             never ends

Prints one JSON line with the session and run ids.
"""
import argparse
import json
import os
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--llm", required=True)
    ap.add_argument("--hang", action="store_true")
    args = ap.parse_args()
    # Agno reports usage to agno.com unless told not to; the tests talk to 127.0.0.1 only.
    os.environ["AGNO_TELEMETRY"] = "false"

    from agno.agent import Agent
    from agno.models.openai import OpenAIChat, OpenAILike
    from agno.team import Team
    from agno.tracing import setup_tracing

    if args.db.startswith("sqlite:///"):
        from agno.db.sqlite import SqliteDb

        db = SqliteDb(db_file=args.db[len("sqlite:///"):])
    else:
        from agno.db.postgres import PostgresDb

        db = PostgresDb(db_url=args.db)
    setup_tracing(db=db)

    def model(name="gpt-4o-mini"):
        return OpenAIChat(id=name, base_url=args.llm, api_key="test-key")

    def get_weather(city: str) -> str:
        """Current weather of a city."""
        return f"Sunny, 21 C in {city}"

    attempts = {"n": 0}

    def lookup_order(order_id: str) -> str:
        """Looks an order up; the first attempt fails."""
        attempts["n"] += 1
        if attempts["n"] == 1:
            raise ConnectionError(f"order service unavailable for {order_id}")
        return f"Order {order_id}: shipped"

    out = {"sessions": {}, "runs": {}}

    weather = Agent(name="Weather Agent", model=model(), tools=[get_weather], db=db, user_id="user-7")
    r = weather.run('Weather in Paris? [[call get_weather {"city": "Paris"}]]', session_id="sess-tools")
    out["sessions"]["tools"], out["runs"]["tools"] = "sess-tools", r.run_id

    thinker = Agent(name="Thinker", model=OpenAILike(id="deepseek-reasoner", base_url=args.llm, api_key="test-key"), db=db)
    r = thinker.run("[[reason The user wants 6 times 7; that is 42.]][[say 42]] What is 6*7?", session_id="sess-reasoning")
    out["sessions"]["reasoning"], out["runs"]["reasoning"] = "sess-reasoning", r.run_id

    support = Agent(name="Support Agent", model=model("gpt-4o-support"), tools=[lookup_order], db=db, user_id="user-8", tool_call_limit=4)
    r = support.run('Where is order 4471? [[call lookup_order {"order_id": "4471"}]]', session_id="sess-recover")
    out["sessions"]["recover"], out["runs"]["recover"] = "sess-recover", r.run_id
    out["recoverAttempts"] = attempts["n"]

    # Last: the team run leaves its span context attached (OpenInference's team wrapper),
    # so a run after it in this process would join the team's trace.
    member = Agent(name="Researcher", role="Finds facts", model=model(), db=db)
    team = Team(name="Research Team", members=[member], model=model(), db=db, user_id="user-7")
    r = team.run('Who wrote Dune? [[call delegate_task_to_member {"member_id": "researcher", "task": "Find the author of Dune"}]]', session_id="sess-team")
    out["sessions"]["team"], out["runs"]["team"] = "sess-team", r.run_id

    if args.hang:
        # A run still in progress: the team leader delegates (the member's run ends
        # and is written, naming the session), then dies inside its own tool, so the
        # team's root span never ends and its trace row never gets a session_id.
        from opentelemetry import context as otel_context

        otel_context.attach(otel_context.Context())  # a fresh request, as a server would have

        def write_report(topic: str) -> str:
            """Writes the final report."""
            print(json.dumps(out), flush=True)
            os._exit(0)

        helper = Agent(name="Fact Checker", role="Checks facts", model=model(), db=db)
        live = Team(name="Live Team", members=[helper], model=model("gpt-4o-live"), tools=[write_report], db=db, user_id="user-9")
        out["sessions"]["live"] = "sess-live"
        live.run("Check the facts, then write the report.", session_id="sess-live")

    print(json.dumps(out))


if __name__ == "__main__":
    main()
