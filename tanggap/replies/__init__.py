"""Reply templates fitted to the customer's mood and the ticket's situation, and similar solved
tickets beside the reply box (issue 7, "Replies fitted to mood and situation")."""
