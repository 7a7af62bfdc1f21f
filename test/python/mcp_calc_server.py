"""A tiny stdio MCP server (the real mcp SDK) for the OpenAI Agents SDK's MCP tool listing."""
from mcp.server.mcpserver import MCPServer

app = MCPServer("calc")


@app.tool()
def add(a: int, b: int) -> int:
    """Adds two numbers."""
    return a + b


if __name__ == "__main__":
    app.run()
