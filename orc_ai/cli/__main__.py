from orc_ai.cli import main

main()
